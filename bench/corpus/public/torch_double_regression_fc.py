"""Diabetes regression in float64 (model.double()) with a Sequential `fc` head on a feature trunk."""
import argparse

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Regressor(nn.Module):
    def __init__(self, n_features, hidden, dropout):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(n_features, hidden), nn.Tanh())
        self.fc = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden // 2),
            nn.ReLU(),
            nn.Linear(hidden // 2, 1),
        )

    def forward(self, x):
        return self.fc(self.trunk(x))


def evaluate(model, X, y):
    model.eval()
    with torch.no_grad():
        pred = model(X)
        mse = torch.mean((pred - y) ** 2).item()
        ss_res = torch.sum((y - pred) ** 2).item()
        ss_tot = torch.sum((y - y.mean()) ** 2).item()
    return mse, 1.0 - ss_res / ss_tot


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=args.seed)
    x_scaler, y_scaler = StandardScaler(), StandardScaler()
    X_train = torch.from_numpy(x_scaler.fit_transform(X_train))
    X_test = torch.from_numpy(x_scaler.transform(X_test))
    y_train = torch.from_numpy(y_scaler.fit_transform(y_train.reshape(-1, 1)))
    y_test = torch.from_numpy(y_scaler.transform(y_test.reshape(-1, 1)))

    model = Regressor(X_train.shape[1], args.hidden, args.dropout)
    model.double()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    criterion = nn.MSELoss()

    for epoch in range(args.epochs):
        model.train()
        optimizer.zero_grad()
        loss = criterion(model(X_train), y_train)
        loss.backward()
        optimizer.step()
        if epoch % 10 == 9:
            val_mse, val_r2 = evaluate(model, X_test, y_test)
            print(f"epoch {epoch + 1:3d} train_mse {loss.item():.4f} val_mse {val_mse:.4f} "
                  f"val_r2 {val_r2:.4f}")

    test_mse, test_r2 = evaluate(model, X_test, y_test)
    print(f"test mse: {test_mse:.4f}")
    print(f"test r2: {test_r2:.4f}")


if __name__ == "__main__":
    main()
