"""A dataclass config for a torch logistic regression; the validation and test accuracies are printed."""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class TrainConfig:
    lr: float = 0.05
    epochs: int = 20
    weight_decay: float = 0.0001
    seed: int = 7


def run(cfg: TrainConfig):
    torch.manual_seed(cfg.seed)
    X = torch.randn(300, 4)
    y = (X @ torch.tensor([1.0, -1.0, 0.5, 0.0]) > 0).float()
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    for epoch in range(cfg.epochs):
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(X[:200]).squeeze(1), y[:200])
        loss.backward()
        optimizer.step()
    val_acc = ((model(X[200:240]).squeeze(1) > 0).float() == y[200:240]).float().mean().item()
    print(f"validation accuracy {val_acc:.3f}")
    test_acc = ((model(X[240:]).squeeze(1) > 0).float() == y[240:]).float().mean().item()
    print(f"test accuracy {test_acc:.3f}")


if __name__ == "__main__":
    cfg = TrainConfig()
    run(cfg)
