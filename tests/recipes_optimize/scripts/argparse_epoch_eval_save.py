"""Regression MLP; validation every 5 epochs inside the loop (public shape)."""
import argparse

import torch
from torch import nn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--save-model", action="store_true", default=True)
    args = parser.parse_args()
    torch.manual_seed(0)
    X = torch.randn(300, 6)
    y = X @ torch.arange(1.0, 7.0).unsqueeze(1) + 0.1 * torch.randn(300, 1)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X[:240]), y[:240])
        loss.backward()
        optimizer.step()
        if epoch % 5 == 3:
            with torch.no_grad():
                val_loss = nn.functional.mse_loss(model(X[240:]), y[240:]).item()
            print(f"epoch {epoch + 1} train loss {loss.item():.4f} val loss {val_loss:.4f}")
    if args.save_model:
        torch.save(model.state_dict(), "regressor.pt")


if __name__ == "__main__":
    main()
