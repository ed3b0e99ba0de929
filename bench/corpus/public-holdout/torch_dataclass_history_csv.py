"""California-like synthetic regression: dataclass hyperparameters, train/evaluate functions, and the
epoch history written with pandas to_csv."""
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.datasets import make_friedman2
from sklearn.preprocessing import StandardScaler


@dataclass
class Hyper:
    hidden: int = 32
    lr: float = 0.01
    epochs: int = 25
    batch_size: int = 32
    weight_decay: float = 0.0
    seed: int = 4


def make_data(h):
    X, y = make_friedman2(n_samples=800, noise=10.0, random_state=h.seed)
    X = StandardScaler().fit_transform(X)
    y = (y - y.mean()) / y.std()
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32).unsqueeze(1)
    return (X[:600], y[:600]), (X[600:], y[600:])


def train_one_epoch(model, opt, data, h):
    X, y = data
    model.train()
    perm = torch.randperm(len(X))
    losses = []
    for i in range(0, len(X), h.batch_size):
        idx = perm[i:i + h.batch_size]
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X[idx]), y[idx])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return float(np.mean(losses))


def evaluate(model, data):
    X, y = data
    model.eval()
    with torch.no_grad():
        pred = model(X)
    mse = nn.functional.mse_loss(pred, y).item()
    mae = (pred - y).abs().mean().item()
    return mse, mae


def main(h: Hyper):
    torch.manual_seed(h.seed)
    train_data, val_data = make_data(h)
    model = nn.Sequential(nn.Linear(4, h.hidden), nn.ReLU(), nn.Linear(h.hidden, h.hidden),
                          nn.ReLU(), nn.Linear(h.hidden, 1))
    opt = torch.optim.Adam(model.parameters(), lr=h.lr, weight_decay=h.weight_decay)
    history = []
    for epoch in range(h.epochs):
        train_mse = train_one_epoch(model, opt, train_data, h)
        val_mse, val_mae = evaluate(model, val_data)
        history.append({"epoch": epoch, "train_mse": train_mse, "val_mse": val_mse,
                        "val_mae": val_mae})
        if epoch % 5 == 0 or epoch == h.epochs - 1:
            print(f"{epoch:3d} train {train_mse:.4f} val {val_mse:.4f} mae {val_mae:.4f}")
    pd.DataFrame(history).to_csv("history.csv", index=False)
    torch.save(model, "friedman_mlp.pt")
    return history[-1]


if __name__ == "__main__":
    last = main(Hyper())
    print("final val mse:", round(last["val_mse"], 4))
