"""A Trainer class keeps the model in self.model; fit() trains, then reports the test loss."""
import torch
from torch import nn


class Trainer:
    def __init__(self, epochs=30, lr=0.05):
        torch.manual_seed(6)
        self.epochs = epochs
        self.X = torch.randn(160, 6)
        self.y = torch.sin(self.X[:, :1]) + self.X[:, 1:2]
        self.model = nn.Sequential(nn.Linear(6, 24), nn.ReLU(), nn.Linear(24, 1))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)

    def train_step(self):
        self.optimizer.zero_grad()
        loss = nn.functional.mse_loss(self.model(self.X[:128]), self.y[:128])
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def test_loss(self):
        with torch.no_grad():
            return nn.functional.mse_loss(self.model(self.X[128:]), self.y[128:]).item()

    def fit(self):
        for epoch in range(self.epochs):
            self.train_step()
        loss = self.test_loss()
        print(f"test loss {loss:.4f}")


if __name__ == "__main__":
    Trainer().fit()
