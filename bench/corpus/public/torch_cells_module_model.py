"""Breast-cancer MLP written as `# %%` cells with the model built at module level."""
# %%
import numpy as np
import torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn

torch.manual_seed(42)
np.random.seed(42)

# %% [markdown]
# Load the data and scale it.

# %%
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42)
scaler = StandardScaler()
X_train = torch.tensor(scaler.fit_transform(X_train), dtype=torch.float32)
X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
y_train = torch.tensor(y_train, dtype=torch.float32).unsqueeze(1)
y_test = torch.tensor(y_test, dtype=torch.float32).unsqueeze(1)

# %%
learning_rate = 1e-3
batch_size = 32
epochs = 10


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(30, 64),
            nn.ReLU(),
            nn.Linear(64, 16),
            nn.ReLU(),
            nn.Linear(16, 1),
        )

    def forward(self, x):
        return self.linear_relu_stack(x)


model = NeuralNetwork()
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)


# %%
def train_loop(X, y, model, loss_fn, optimizer):
    model.train()
    perm = torch.randperm(len(X))
    for start in range(0, len(X), batch_size):
        idx = perm[start:start + batch_size]
        loss = loss_fn(model(X[idx]), y[idx])
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return loss.item()


def test_loop(X, y, model, loss_fn):
    model.eval()
    with torch.no_grad():
        pred = model(X)
        test_loss = loss_fn(pred, y).item()
        correct = ((pred > 0).float() == y).float().mean().item()
    print(f"Test Error: \n Accuracy: {(100 * correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")
    return correct


# %%
for t in range(epochs):
    print(f"Epoch {t + 1}\n-------------------------------")
    last_loss = train_loop(X_train, y_train, model, loss_fn, optimizer)
    print(f"loss: {last_loss:>7f}")
    accuracy = test_loop(X_test, y_test, model, loss_fn)
print("Done!")

# %%
torch.save(model, "cancer_model.pth")
print(f"final accuracy: {accuracy:.4f}")
