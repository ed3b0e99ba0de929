"""A time-series forecaster: an LSTM on a noisy sine, config object, train/val loss per epoch."""
import numpy as np
import torch
from torch import nn


class Config:
    window = 12
    hidden_size = 16
    lr = 0.01
    epochs = 4
    batch_size = 16


def make_windows(series, window):
    xs = np.stack([series[i:i + window] for i in range(len(series) - window)])
    ys = series[window:]
    return torch.tensor(xs, dtype=torch.float32).unsqueeze(-1), torch.tensor(ys, dtype=torch.float32)


class Forecaster(nn.Module):
    def __init__(self, hidden_size):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1]).squeeze(-1)


def main():
    cfg = Config()
    rng = np.random.default_rng(0)
    t = np.arange(300)
    series = np.sin(t / 8) + 0.1 * rng.standard_normal(300)
    X, y = make_windows(series, cfg.window)
    split = int(0.8 * len(X))
    X_train, y_train, X_val, y_val = X[:split], y[:split], X[split:], y[split:]
    torch.manual_seed(0)
    model = Forecaster(cfg.hidden_size)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loss_fn = nn.MSELoss()
    best_val = float("inf")
    for epoch in range(cfg.epochs):
        model.train()
        train_loss = 0.0
        for start in range(0, split, cfg.batch_size):
            xb, yb = X_train[start:start + cfg.batch_size], y_train[start:start + cfg.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            train_loss += loss.item() * len(xb)
        train_loss /= split
        model.eval()
        with torch.no_grad():
            val_loss = loss_fn(model(X_val), y_val).item()
        best_val = min(best_val, val_loss)
        print(f"epoch {epoch}: train_loss={train_loss:.4f} val_loss={val_loss:.4f}")
    print(f"best val_loss: {best_val:.4f}")


if __name__ == "__main__":
    main()
