"""Tabular regression where the data lives in CSV files written by the script itself, in the spirit of the PyTorch
"Writing Custom Datasets, DataLoaders and Transforms" tutorial: a `Dataset` reading `pd.read_csv(csv_file)` and
returning sample dicts, callable transform classes (`Standardize`, `AddNoise`, `ToTensor`) chained by a small
`Compose`, statistics fitted on the train CSV only, training with a `train_loop`/`test_loop` pair as in the
optimization tutorial, test MAE in original units; model saved with `torch.save(model.state_dict(), ...)`."""
import os

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_diabetes
from torch import nn
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(5)
DATA_DIR = "data"
learning_rate = 5e-3
batch_size = 32
epochs = 15


def write_csvs():
    raw = load_diabetes(as_frame=True, scaled=False).frame
    raw = raw.sample(frac=1.0, random_state=5).reset_index(drop=True)
    os.makedirs(DATA_DIR, exist_ok=True)
    n = len(raw)
    raw.iloc[: int(0.6 * n)].to_csv(f"{DATA_DIR}/train.csv", index=False)
    raw.iloc[int(0.6 * n): int(0.8 * n)].to_csv(f"{DATA_DIR}/val.csv", index=False)
    raw.iloc[int(0.8 * n):].to_csv(f"{DATA_DIR}/test.csv", index=False)


class DiabetesDataset(Dataset):
    """Diabetes progression dataset read from a CSV file."""

    def __init__(self, csv_file, target="target", transform=None):
        self.frame = pd.read_csv(csv_file)
        self.target = target
        self.transform = transform
        self.features = self.frame.drop(columns=target).to_numpy(dtype=np.float32)
        self.targets = self.frame[target].to_numpy(dtype=np.float32)

    def __len__(self):
        return len(self.frame)

    def __getitem__(self, idx):
        if torch.is_tensor(idx):
            idx = idx.tolist()
        sample = {"features": self.features[idx], "target": self.targets[idx]}
        if self.transform:
            sample = self.transform(sample)
        return sample


class Standardize:
    def __init__(self, mean, std, y_mean, y_std):
        self.mean, self.std, self.y_mean, self.y_std = mean, std, y_mean, y_std

    def __call__(self, sample):
        return {"features": (sample["features"] - self.mean) / self.std,
                "target": (sample["target"] - self.y_mean) / self.y_std}


class AddNoise:
    """Gaussian jitter on the features, for the training set only."""

    def __init__(self, sigma, seed):
        self.sigma = sigma
        self.rng = np.random.default_rng(seed)

    def __call__(self, sample):
        noise = self.rng.normal(0, self.sigma, size=sample["features"].shape).astype(np.float32)
        return {"features": sample["features"] + noise, "target": sample["target"]}


class ToTensor:
    def __call__(self, sample):
        return {"features": torch.from_numpy(np.asarray(sample["features"], dtype=np.float32)),
                "target": torch.tensor(sample["target"], dtype=torch.float32)}


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, sample):
        for t in self.transforms:
            sample = t(sample)
        return sample


class NeuralNetwork(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.linear_relu_stack = nn.Sequential(nn.Linear(n_features, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                                               nn.Linear(32, 1))

    def forward(self, x):
        return self.linear_relu_stack(x).squeeze(-1)


def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, sample in enumerate(dataloader):
        pred = model(sample["features"])
        loss = loss_fn(pred, sample["target"])
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 4 == 0:
            current = batch * batch_size + len(sample["target"])
            print(f"loss: {loss.item():>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn, y_std):
    model.eval()
    num_batches = len(dataloader)
    test_loss, abs_err, n = 0.0, 0.0, 0
    with torch.no_grad():
        for sample in dataloader:
            pred = model(sample["features"])
            test_loss += loss_fn(pred, sample["target"]).item()
            abs_err += (torch.abs(pred - sample["target"]) * y_std).sum().item()
            n += len(pred)
    test_loss /= num_batches
    mae = abs_err / n
    print(f"Eval: MAE {mae:.2f}, avg loss {test_loss:>8f}")
    return mae


write_csvs()
train_frame = pd.read_csv(f"{DATA_DIR}/train.csv")
feat = train_frame.drop(columns="target")
mean, std = feat.mean().to_numpy(np.float32), feat.std().to_numpy(np.float32)
y_mean, y_std = np.float32(train_frame["target"].mean()), np.float32(train_frame["target"].std())

train_tf = Compose([Standardize(mean, std, y_mean, y_std), AddNoise(0.05, seed=5), ToTensor()])
eval_tf = Compose([Standardize(mean, std, y_mean, y_std), ToTensor()])
training_data = DiabetesDataset(f"{DATA_DIR}/train.csv", transform=train_tf)
val_data = DiabetesDataset(f"{DATA_DIR}/val.csv", transform=eval_tf)
test_data = DiabetesDataset(f"{DATA_DIR}/test.csv", transform=eval_tf)
train_dataloader = DataLoader(training_data, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(5))
val_dataloader = DataLoader(val_data, batch_size=batch_size)
test_dataloader = DataLoader(test_data, batch_size=batch_size)

model = NeuralNetwork(len(mean))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate, weight_decay=1e-4)

for t in range(epochs):
    print(f"Epoch {t + 1}\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loop(val_dataloader, model, loss_fn, float(y_std))
print("Done! Test set:")
test_loop(test_dataloader, model, loss_fn, float(y_std))
torch.save(model.state_dict(), "diabetes_mlp.pth")
