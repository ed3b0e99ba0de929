"""main() with argparse defaults trains a torch MLP and reports the validation loss."""
import argparse

import torch
from torch import nn


def parse_args():
    parser = argparse.ArgumentParser(description="Train a small MLP.")
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    X = torch.randn(200, 5)
    y = (X[:, 0] - X[:, 2]).unsqueeze(1)
    model = nn.Sequential(nn.Linear(5, args.hidden), nn.ReLU(), nn.Linear(args.hidden, 1))
    if args.optimizer == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X[:160]), y[:160])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(model(X[160:]), y[160:]).item()
    print(f"val_loss={val_loss:.5f}")


if __name__ == "__main__":
    main()
