"""A Trainer object whose fit() evaluates every epoch through self.evaluate and keeps a history."""
import torch
from torch import nn


class Trainer:
    def __init__(self, seed=0):
        torch.manual_seed(seed)
        self.model = nn.Sequential(nn.Linear(5, 12), nn.ReLU(), nn.Linear(12, 2))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.05)
        self.history = []

    def train_epoch(self, X, y):
        self.model.train()
        self.optimizer.zero_grad()
        loss = nn.functional.cross_entropy(self.model(X), y)
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def evaluate(self, X, y):
        self.model.eval()
        with torch.no_grad():
            return {"accuracy": (self.model(X).argmax(1) == y).float().mean().item()}

    def fit(self, X, y, X_val, y_val, epochs=15):
        for epoch in range(epochs):
            train_loss = self.train_epoch(X, y)
            metrics = self.evaluate(X_val, y_val)
            self.history.append(metrics["accuracy"])
            print(f"epoch={epoch} train_loss={train_loss:.4f} val_accuracy={metrics['accuracy']:.4f}")
        return metrics


torch.manual_seed(1)
X = torch.randn(260, 5)
y = (X[:, 0] + X[:, 2] > 0).long()
X_train, y_train, X_val, y_val = X[:200], y[:200], X[200:], y[200:]
trainer = Trainer()
final = trainer.fit(X_train, y_train, X_val, y_val)
print(f"best val accuracy: {max(trainer.history):.4f}")
