"""Synthetic multi-class MLP from a CONFIG dict, cosine LR schedule and a JSON history file."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification

CONFIG = {
    "n_samples": 800,
    "n_features": 20,
    "n_classes": 4,
    "hidden": [64, 32],
    "dropout": 0.1,
    "lr": 3e-3,
    "weight_decay": 1e-4,
    "epochs": 12,
    "batch_size": 64,
    "seed": 5,
}


class MLP(nn.Module):
    def __init__(self, in_dim, hidden, n_out, dropout):
        super().__init__()
        layers = []
        for width in hidden:
            layers += [nn.Linear(in_dim, width), nn.ReLU(), nn.Dropout(dropout)]
            in_dim = width
        self.body = nn.Sequential(*layers)
        self.head = nn.Linear(in_dim, n_out)

    def forward(self, x):
        return self.head(self.body(x))


def run(cfg):
    torch.manual_seed(cfg["seed"])
    X, y = make_classification(n_samples=cfg["n_samples"], n_features=cfg["n_features"],
                               n_informative=10, n_classes=cfg["n_classes"],
                               random_state=cfg["seed"])
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    split = int(0.8 * len(X))
    model = MLP(cfg["n_features"], cfg["hidden"], cfg["n_classes"], cfg["dropout"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"],
                                  weight_decay=cfg["weight_decay"])
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg["epochs"])
    history = {"train_loss": [], "val_loss": [], "val_acc": [], "lr": []}
    for epoch in range(cfg["epochs"]):
        model.train()
        perm = torch.randperm(split)
        epoch_loss = 0.0
        for start in range(0, split, cfg["batch_size"]):
            idx = perm[start:start + cfg["batch_size"]]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
            epoch_loss += loss.item() * len(idx)
        scheduler.step()
        model.eval()
        with torch.no_grad():
            out = model(X[split:])
            val_loss = F.cross_entropy(out, y[split:]).item()
            val_acc = (out.argmax(1) == y[split:]).float().mean().item()
        history["train_loss"].append(epoch_loss / split)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        history["lr"].append(scheduler.get_last_lr()[0])
        print(f"epoch {epoch + 1:02d} | train {epoch_loss / split:.4f} | val {val_loss:.4f} | "
              f"acc {val_acc:.4f}")
    return model, history


if __name__ == "__main__":
    model, history = run(CONFIG)
    with open("history.json", "w") as fh:
        json.dump(history, fh, indent=2)
    torch.save(model.state_dict(), "mlp_cosine.pt")
    print("best val acc:", round(max(history["val_acc"]), 4))
