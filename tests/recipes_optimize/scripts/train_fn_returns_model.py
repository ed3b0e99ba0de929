"""A train() function builds, trains and returns the model; a helper scores it in a print."""
import torch
from torch import nn


def train_model(X, y, epochs=40):
    model = nn.Sequential(nn.Linear(X.shape[1], 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X).squeeze(-1), y)
        loss.backward()
        optimizer.step()
    return model


def test_mse(model, X, y):
    with torch.no_grad():
        return nn.functional.mse_loss(model(X).squeeze(-1), y).item()


torch.manual_seed(3)
X = torch.randn(200, 5)
y = X @ torch.tensor([0.5, -1.0, 2.0, 0.0, 1.5])
model = train_model(X[:150], y[:150])
print("test mse:", round(test_mse(model, X[150:], y[150:]), 4))
