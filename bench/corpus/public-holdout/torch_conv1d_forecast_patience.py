"""Conv1d forecaster of a synthetic AR(2) series with windowed samples, patience-based early stopping
and results through logging."""
import logging

import numpy as np
import torch
import torch.nn as nn

log = logging.getLogger("forecast")
logging.basicConfig(level=logging.INFO, format="%(name)s - %(message)s")

WINDOW = 24
HORIZON = 1
EPOCHS = 40
PATIENCE = 5
LR = 5e-3
CHANNELS = 8


def ar_series(n, seed):
    rng = np.random.default_rng(seed)
    x = np.zeros(n)
    for t in range(2, n):
        x[t] = 0.6 * x[t - 1] - 0.3 * x[t - 2] + np.sin(t / 10) * 0.5 + rng.normal(scale=0.2)
    return x.astype(np.float32)


def windows(series):
    xs = np.stack([series[i:i + WINDOW] for i in range(len(series) - WINDOW - HORIZON + 1)])
    ys = series[WINDOW + HORIZON - 1:]
    return torch.from_numpy(xs).unsqueeze(1), torch.from_numpy(ys).unsqueeze(1)


class ConvForecaster(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, channels, 5), nn.ReLU(),
                                  nn.Conv1d(channels, channels, 5), nn.ReLU())
        self.head = nn.Linear(channels * (WINDOW - 8), 1)

    def forward(self, x):
        return self.head(self.conv(x).flatten(1))


def main():
    torch.manual_seed(0)
    series = ar_series(700, seed=0)
    X, y = windows(series)
    n_train, n_val = 450, 100
    X_tr, y_tr = X[:n_train], y[:n_train]
    X_va, y_va = X[n_train:n_train + n_val], y[n_train:n_train + n_val]
    X_te, y_te = X[n_train + n_val:], y[n_train + n_val:]
    model = ConvForecaster(CHANNELS)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.MSELoss()
    best, wait, best_state = float("inf"), 0, None
    for epoch in range(EPOCHS):
        model.train()
        for i in range(0, n_train, 32):
            opt.zero_grad()
            loss = loss_fn(model(X_tr[i:i + 32]), y_tr[i:i + 32])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(X_va), y_va).item()
        log.info("epoch %d val_mse %.5f", epoch, val)
        if val < best - 1e-5:
            best, wait = val, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            wait += 1
            if wait >= PATIENCE:
                log.info("early stop at epoch %d", epoch)
                break
    model.load_state_dict(best_state)
    with torch.no_grad():
        test_mse = loss_fn(model(X_te), y_te).item()
    naive_mse = float(((X_te[:, 0, -1] - y_te[:, 0]) ** 2).mean())
    log.info("best val_mse %.5f", best)
    log.info("test_mse %.5f (naive last-value %.5f)", test_mse, naive_mse)


if __name__ == "__main__":
    main()
