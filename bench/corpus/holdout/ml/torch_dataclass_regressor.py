"""Diabetes regression with torch; settings in a dataclass, evaluation in a helper returning a dict."""
from dataclasses import dataclass

import torch
from torch import nn
from sklearn.datasets import load_diabetes


@dataclass
class HParams:
    lr: float = 0.005
    hidden: int = 48
    epochs: int = 60
    dropout: float = 0.1
    seed: int = 3


def evaluate(model, X, y):
    model.eval()
    with torch.no_grad():
        pred = model(X).squeeze(1)
    mse = torch.mean((pred - y) ** 2).item()
    mae = torch.mean(torch.abs(pred - y)).item()
    return {"val_mse": mse, "val_mae": mae}


def run(hp: HParams):
    torch.manual_seed(hp.seed)
    data = load_diabetes()
    X = torch.tensor(data.data, dtype=torch.float32)
    y = torch.tensor(data.target, dtype=torch.float32)
    y = (y - y.mean()) / y.std()
    X_train, y_train = X[:350], y[:350]
    X_val, y_val = X[350:], y[350:]
    model = nn.Sequential(
        nn.Linear(X.shape[1], hp.hidden),
        nn.ReLU(),
        nn.Dropout(hp.dropout),
        nn.Linear(hp.hidden, 1),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=hp.lr)
    for epoch in range(hp.epochs):
        model.train()
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X_train).squeeze(1), y_train)
        loss.backward()
        optimizer.step()
    metrics = evaluate(model, X_val, y_val)
    for name, value in metrics.items():
        print(f"{name} = {value:.4f}")
    return metrics


if __name__ == "__main__":
    run(HParams())
