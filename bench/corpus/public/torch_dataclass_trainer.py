"""Iris classifier driven by a dataclass config and a Trainer class with fit() and evaluate()."""
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset


@dataclass
class TrainConfig:
    hidden_size: int = 16
    learning_rate: float = 0.05
    momentum: float = 0.9
    batch_size: int = 16
    epochs: int = 15
    seed: int = 11


class IrisNet(nn.Module):
    def __init__(self, hidden_size):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, hidden_size), nn.ReLU(), nn.Linear(hidden_size, 3))

    def forward(self, x):
        return self.layers(x)


class Trainer:
    def __init__(self, config: TrainConfig):
        self.config = config
        torch.manual_seed(config.seed)
        self.model = IrisNet(config.hidden_size)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=config.learning_rate,
                                         momentum=config.momentum)
        self.criterion = nn.CrossEntropyLoss()

    def train_epoch(self, loader):
        self.model.train()
        total, n = 0.0, 0
        for xb, yb in loader:
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(xb), yb)
            loss.backward()
            self.optimizer.step()
            total += loss.item() * len(xb)
            n += len(xb)
        return total / n

    def evaluate(self, loader):
        self.model.eval()
        correct, total_loss, n = 0, 0.0, 0
        with torch.no_grad():
            for xb, yb in loader:
                out = self.model(xb)
                total_loss += self.criterion(out, yb).item() * len(xb)
                correct += (out.argmax(1) == yb).sum().item()
                n += len(xb)
        return {"loss": total_loss / n, "accuracy": correct / n}

    def fit(self, train_loader, val_loader):
        for epoch in range(self.config.epochs):
            train_loss = self.train_epoch(train_loader)
            metrics = self.evaluate(val_loader)
            print(f"epoch={epoch} train_loss={train_loss:.4f} val_loss={metrics['loss']:.4f} "
                  f"val_accuracy={metrics['accuracy']:.4f}")
        return metrics


def build_loaders(config):
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=config.seed,
                                              stratify=y)
    to_ds = lambda a, b: TensorDataset(torch.tensor(a, dtype=torch.float32), torch.tensor(b))  # noqa
    return (DataLoader(to_ds(X_tr, y_tr), batch_size=config.batch_size, shuffle=True),
            DataLoader(to_ds(X_te, y_te), batch_size=64))


if __name__ == "__main__":
    config = TrainConfig()
    print("config:", asdict(config))
    train_loader, val_loader = build_loaders(config)
    trainer = Trainer(config)
    final = trainer.fit(train_loader, val_loader)
    print(f"final val accuracy: {final['accuracy']:.4f}")
    torch.save(trainer.model.state_dict(), "iris_net.pt")
