"""A trainer object that keeps its network in self.model and reports validation accuracy."""
import torch
import torch.nn as nn
from sklearn.datasets import make_moons


class MoonNet(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU())
        self.head = nn.Linear(width, 2)

    def forward(self, x):
        return self.head(self.body(x))


class MoonTrainer:
    def __init__(self, width=16, lr=0.03, momentum=0.9, epochs=80):
        self.model = MoonNet(width)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr, momentum=momentum)
        self.epochs = epochs
        self.criterion = nn.CrossEntropyLoss()

    def train(self, X, y):
        self.model.train()
        for _ in range(self.epochs):
            self.opt.zero_grad()
            loss = self.criterion(self.model(X), y)
            loss.backward()
            self.opt.step()
        return loss.item()

    def validate(self, X, y):
        self.model.eval()
        with torch.no_grad():
            logits = self.model(X)
        return {"val_loss": float(self.criterion(logits, y)), "val_acc": (logits.argmax(1) == y).float().mean().item()}


def main():
    torch.manual_seed(11)
    X, y = make_moons(n_samples=400, noise=0.2, random_state=11)
    X = torch.tensor(X, dtype=torch.float32)
    y = torch.tensor(y)
    trainer = MoonTrainer(width=16, lr=0.03)
    last_loss = trainer.train(X[:300], y[:300])
    scores = trainer.validate(X[300:], y[300:])
    print(f"train loss {last_loss:.4f}")
    print(f"val loss {scores['val_loss']:.4f} val acc {scores['val_acc']:.3f}")


if __name__ == "__main__":
    main()
