"""Metric learning on the digits: embedding net trained with an online batch-hard triplet loss, siamese-triplet
layout (`fit(train_loader, val_loader, model, loss_fn, optimizer, scheduler, n_epochs, cuda, log_interval,
metrics=[])` calling `train_epoch`/`test_epoch`, `BalancedBatchSampler` with n_classes x n_samples batches,
an `AverageNonzeroTripletsMetric`), evaluated by 1-NN accuracy in embedding space."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.sampler import BatchSampler

cuda = False


class BalancedBatchSampler(BatchSampler):
    """Returns batches of n_classes classes with n_samples samples each."""

    def __init__(self, labels, n_classes, n_samples, seed=0):
        self.labels = np.asarray(labels)
        self.labels_set = sorted(set(self.labels.tolist()))
        self.label_to_indices = {label: np.where(self.labels == label)[0] for label in self.labels_set}
        self.rng = np.random.RandomState(seed)
        self.n_classes, self.n_samples = n_classes, n_samples
        self.batch_size = n_classes * n_samples
        self.n_dataset = len(self.labels)

    def __iter__(self):
        count = 0
        while count + self.batch_size < self.n_dataset:
            classes = self.rng.choice(self.labels_set, self.n_classes, replace=False)
            indices = []
            for c in classes:
                indices.extend(self.rng.choice(self.label_to_indices[c], self.n_samples, replace=False).tolist())
            yield indices
            count += self.batch_size

    def __len__(self):
        return self.n_dataset // self.batch_size


class EmbeddingNet(nn.Module):
    def __init__(self, emb_dim=16):
        super().__init__()
        self.convnet = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.PReLU(), nn.MaxPool2d(2),
                                     nn.Conv2d(16, 32, 3, padding=1), nn.PReLU(), nn.MaxPool2d(2))
        self.fc = nn.Sequential(nn.Linear(32 * 2 * 2, 64), nn.PReLU(), nn.Linear(64, emb_dim))

    def forward(self, x):
        output = self.convnet(x)
        return self.fc(output.view(output.size(0), -1))

    def get_embedding(self, x):
        return F.normalize(self.forward(x), dim=1)


class OnlineBatchHardTripletLoss(nn.Module):
    def __init__(self, margin):
        super().__init__()
        self.margin = margin

    def forward(self, embeddings, target):
        embeddings = F.normalize(embeddings, dim=1)
        dist = torch.cdist(embeddings, embeddings)
        same = target.unsqueeze(0) == target.unsqueeze(1)
        hardest_pos = (dist * same.float()).max(dim=1).values
        hardest_neg = (dist + same.float() * 1e3).min(dim=1).values
        losses = F.relu(hardest_pos - hardest_neg + self.margin)
        return losses.mean(), int((losses > 0).sum())


class AverageNonzeroTripletsMetric:
    def __init__(self):
        self.values = []

    def __call__(self, outputs, target, loss_outputs):
        self.values.append(loss_outputs[1])
        return self.value()

    def reset(self):
        self.values = []

    def value(self):
        return float(np.mean(self.values)) if self.values else 0.0

    def name(self):
        return "Average nonzero triplets"


def train_epoch(train_loader, model, loss_fn, optimizer, cuda, log_interval, metrics):
    for metric in metrics:
        metric.reset()
    model.train()
    losses, total_loss = [], 0
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        outputs = model(data)
        loss_outputs = loss_fn(outputs, target)
        loss = loss_outputs[0]
        losses.append(loss.item())
        total_loss += loss.item()
        loss.backward()
        optimizer.step()
        for metric in metrics:
            metric(outputs, target, loss_outputs)
        if batch_idx % log_interval == 0:
            message = f"Train: [{batch_idx * len(data)}/{len(train_loader) * len(data)}]\tLoss: {np.mean(losses):.6f}"
            for metric in metrics:
                message += f"\t{metric.name()}: {metric.value():.2f}"
            print(message)
            losses = []
    return total_loss / (batch_idx + 1), metrics


def test_epoch(val_loader, model, loss_fn, cuda, metrics):
    with torch.no_grad():
        for metric in metrics:
            metric.reset()
        model.eval()
        val_loss = 0
        for batch_idx, (data, target) in enumerate(val_loader):
            outputs = model(data)
            loss_outputs = loss_fn(outputs, target)
            val_loss += loss_outputs[0].item()
            for metric in metrics:
                metric(outputs, target, loss_outputs)
    return val_loss / (batch_idx + 1), metrics


def fit(train_loader, val_loader, model, loss_fn, optimizer, scheduler, n_epochs, cuda, log_interval, metrics=[],
        start_epoch=0):
    for epoch in range(0, start_epoch):
        scheduler.step()
    for epoch in range(start_epoch, n_epochs):
        train_loss, metrics = train_epoch(train_loader, model, loss_fn, optimizer, cuda, log_interval, metrics)
        scheduler.step()
        message = f"Epoch: {epoch + 1}/{n_epochs}. Train set: Average loss: {train_loss:.4f}"
        for metric in metrics:
            message += f"\t{metric.name()}: {metric.value():.2f}"
        val_loss, metrics = test_epoch(val_loader, model, loss_fn, cuda, metrics)
        message += f"\nEpoch: {epoch + 1}/{n_epochs}. Validation set: Average loss: {val_loss:.4f}"
        for metric in metrics:
            message += f"\t{metric.name()}: {metric.value():.2f}"
        print(message)


def embed(model, X):
    model.eval()
    with torch.no_grad():
        return model.get_embedding(X).numpy()


torch.manual_seed(7)
digits = load_digits()
X = torch.tensor(digits.images[:, None] / 16.0, dtype=torch.float32)
y = digits.target
idx_train, idx_test = train_test_split(np.arange(len(y)), test_size=0.25, stratify=y, random_state=7)
idx_train, idx_val = train_test_split(idx_train, test_size=0.2, stratify=y[idx_train], random_state=7)
y_t = torch.tensor(y)

train_batch_sampler = BalancedBatchSampler(y[idx_train], n_classes=8, n_samples=8, seed=1)
val_batch_sampler = BalancedBatchSampler(y[idx_val], n_classes=8, n_samples=4, seed=2)
online_train_loader = DataLoader(TensorDataset(X[idx_train], y_t[idx_train]), batch_sampler=train_batch_sampler)
online_val_loader = DataLoader(TensorDataset(X[idx_val], y_t[idx_val]), batch_sampler=val_batch_sampler)

margin = 0.3
embedding_net = EmbeddingNet(emb_dim=16)
model = embedding_net
loss_fn = OnlineBatchHardTripletLoss(margin)
lr = 1e-3
optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)
scheduler = lr_scheduler.StepLR(optimizer, 4, gamma=0.5, last_epoch=-1)
n_epochs = 8
log_interval = 10

fit(online_train_loader, online_val_loader, model, loss_fn, optimizer, scheduler, n_epochs, cuda, log_interval,
    metrics=[AverageNonzeroTripletsMetric()])

knn = KNeighborsClassifier(n_neighbors=1).fit(embed(model, X[idx_train]), y[idx_train])
print(f"1-NN accuracy in embedding space: val {knn.score(embed(model, X[idx_val]), y[idx_val]):.4f} "
      f"test {knn.score(embed(model, X[idx_test]), y[idx_test]):.4f}")
torch.save(model.state_dict(), "embedding_net.pth")
