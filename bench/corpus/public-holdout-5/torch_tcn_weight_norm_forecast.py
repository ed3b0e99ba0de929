"""Temporal convolutional network (dilated causal Conv1d blocks with weight_norm) forecasting a noisy signal."""
import math

import numpy as np
import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import weight_norm
from torch.utils.data import DataLoader, TensorDataset

SEQ_LEN = 48
HORIZON = 1
CHANNELS = [16, 16, 16]
KERNEL_SIZE = 3
DROPOUT = 0.1
LR = 4e-3
EPOCHS = 8
BATCH_SIZE = 64
CLIP = 0.5
SEED = 11


class Chomp1d(nn.Module):
    """Drops the right padding so every convolution stays causal."""

    def __init__(self, chomp_size):
        super().__init__()
        self.chomp_size = chomp_size

    def forward(self, x):
        return x[:, :, :-self.chomp_size].contiguous()


class TemporalBlock(nn.Module):
    def __init__(self, n_in, n_out, kernel_size, dilation, dropout):
        super().__init__()
        padding = (kernel_size - 1) * dilation
        self.net = nn.Sequential(
            weight_norm(nn.Conv1d(n_in, n_out, kernel_size, padding=padding, dilation=dilation)),
            Chomp1d(padding), nn.ReLU(), nn.Dropout(dropout),
            weight_norm(nn.Conv1d(n_out, n_out, kernel_size, padding=padding, dilation=dilation)),
            Chomp1d(padding), nn.ReLU(), nn.Dropout(dropout),
        )
        self.downsample = nn.Conv1d(n_in, n_out, 1) if n_in != n_out else None
        self.relu = nn.ReLU()

    def forward(self, x):
        res = x if self.downsample is None else self.downsample(x)
        return self.relu(self.net(x) + res)


class TCN(nn.Module):
    def __init__(self, input_size, output_size, num_channels, kernel_size, dropout):
        super().__init__()
        layers = []
        for i, n_out in enumerate(num_channels):
            n_in = input_size if i == 0 else num_channels[i - 1]
            layers.append(TemporalBlock(n_in, n_out, kernel_size, 2 ** i, dropout))
        self.tcn = nn.Sequential(*layers)
        self.linear = nn.Linear(num_channels[-1], output_size)

    def forward(self, x):
        return self.linear(self.tcn(x)[:, :, -1])


def make_series(n=1400, seed=SEED):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    series = np.sin(2 * math.pi * t / 24) + 0.5 * np.sin(2 * math.pi * t / 90) + 0.002 * t
    return (series + rng.normal(0, 0.15, n)).astype(np.float32)


def windows(series, seq_len, horizon):
    xs = np.stack([series[i:i + seq_len] for i in range(len(series) - seq_len - horizon + 1)])
    ys = np.stack([series[i + seq_len:i + seq_len + horizon] for i in range(len(series) - seq_len - horizon + 1)])
    return torch.from_numpy(xs).unsqueeze(1), torch.from_numpy(ys)


torch.manual_seed(SEED)
series = make_series()
n_train, n_valid = 900, 200
mean, std = series[:n_train].mean(), series[:n_train].std()
series = (series - mean) / std
X_train, y_train = windows(series[:n_train], SEQ_LEN, HORIZON)
X_valid, y_valid = windows(series[n_train - SEQ_LEN:n_train + n_valid], SEQ_LEN, HORIZON)
X_test, y_test = windows(series[n_train + n_valid - SEQ_LEN:], SEQ_LEN, HORIZON)
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=BATCH_SIZE, shuffle=True,
                          generator=torch.Generator().manual_seed(SEED))

model = TCN(1, HORIZON, CHANNELS, KERNEL_SIZE, DROPOUT)
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
criterion = nn.MSELoss()


def evaluate(X, y):
    model.eval()
    with torch.no_grad():
        pred = model(X)
    mse = criterion(pred, y).item()
    return mse, math.sqrt(mse) * std


for epoch in range(1, EPOCHS + 1):
    model.train()
    total_loss = 0.0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        optimizer.step()
        total_loss += loss.item() * len(xb)
    valid_mse, valid_rmse = evaluate(X_valid, y_valid)
    print(f"| epoch {epoch:3d} | train mse {total_loss / len(X_train):.4f} | valid mse {valid_mse:.4f} | valid rmse {valid_rmse:.4f}")

test_mse, test_rmse = evaluate(X_test, y_test)
naive_rmse = float(torch.sqrt(((X_test[:, 0, -1:] - y_test) ** 2).mean())) * std
print(f"test rmse {test_rmse:.4f} (naive last-value rmse {naive_rmse:.4f})")
torch.save(model.state_dict(), "tcn.pt")
