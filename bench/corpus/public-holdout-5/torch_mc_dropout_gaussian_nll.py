"""Heteroscedastic regression (mean + variance heads, GaussianNLLLoss) with MC-dropout predictions at test time."""
import math

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

config = dict(hidden=64, dropout=0.2, lr=3e-3, epochs=30, batch_size=32, mc_samples=30, seed=13)


class MeanVarianceNet(nn.Module):
    def __init__(self, n_in, hidden, dropout):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Dropout(dropout),
                                   nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout))
        self.mean_head = nn.Linear(hidden, 1)
        self.var_head = nn.Linear(hidden, 1)

    def forward(self, x):
        h = self.trunk(x)
        return self.mean_head(h).squeeze(-1), nn.functional.softplus(self.var_head(h)).squeeze(-1) + 1e-4


def mc_predict(model, X, samples):
    """Dropout stays on (train mode) so each pass samples a different sub-network."""
    model.train()
    means, variances = [], []
    with torch.no_grad():
        for _ in range(samples):
            mu, var = model(X)
            means.append(mu)
            variances.append(var)
    means, variances = torch.stack(means), torch.stack(variances)
    mean = means.mean(0)
    total_var = variances.mean(0) + means.var(0)
    return mean, total_var


def train(cfg):
    torch.manual_seed(cfg["seed"])
    X, y = load_diabetes(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=cfg["seed"])
    X_tr, X_va, y_tr, y_va = train_test_split(X_tr, y_tr, test_size=0.2, random_state=cfg["seed"])
    xs, ys = StandardScaler().fit(X_tr), StandardScaler().fit(y_tr.reshape(-1, 1))
    tx = lambda a: torch.tensor(xs.transform(a), dtype=torch.float32)
    ty = lambda a: torch.tensor(ys.transform(a.reshape(-1, 1)).ravel(), dtype=torch.float32)
    X_tr, X_va, X_te, y_tr, y_va, y_te = tx(X_tr), tx(X_va), tx(X_te), ty(y_tr), ty(y_va), ty(y_te)

    model = MeanVarianceNet(X_tr.shape[1], cfg["hidden"], cfg["dropout"])
    criterion = nn.GaussianNLLLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    for epoch in range(cfg["epochs"]):
        model.train()
        perm = torch.randperm(len(X_tr))
        for i in range(0, len(perm), cfg["batch_size"]):
            idx = perm[i:i + cfg["batch_size"]]
            mu, var = model(X_tr[idx])
            loss = criterion(mu, y_tr[idx], var)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if (epoch + 1) % 5 == 0:
            model.eval()
            with torch.no_grad():
                mu, var = model(X_va)
                val_nll = criterion(mu, y_va, var).item()
            print(f"epoch {epoch + 1}: train nll {loss.item():.4f} val nll {val_nll:.4f}")

    mean, var = mc_predict(model, X_te, cfg["mc_samples"])
    scale = float(ys.scale_[0])
    rmse = math.sqrt(((mean - y_te) ** 2).mean().item()) * scale
    nll = nn.GaussianNLLLoss(full=True)(mean, y_te, var).item()
    inside = ((y_te - mean).abs() <= 1.96 * var.sqrt()).float().mean().item()
    results = {"test_rmse": rmse, "test_nll": nll, "coverage_95": inside}
    torch.save(model.state_dict(), "mc_dropout_regressor.pt")
    return results


if __name__ == "__main__":
    out = train(config)
    for k, v in out.items():
        print(f"{k}: {v:.4f}")
