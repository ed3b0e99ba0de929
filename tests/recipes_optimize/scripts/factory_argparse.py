"""argparse options, a model factory, a device move and evaluation in a no_grad block."""
import argparse

import torch
from torch import nn


def build_model(hidden):
    return nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, 3))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hidden", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--lr", type=float, default=0.05)
    args = parser.parse_args()
    device = torch.device("cpu")
    torch.manual_seed(5)
    X = torch.randn(240, 4)
    y = torch.bucketize(X[:, 0] + X[:, 1], torch.tensor([-0.5, 0.5]))
    model = build_model(args.hidden).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        model.train()
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X[:200].to(device)), y[:200].to(device))
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        logits = model(X[200:].to(device))
        test_acc = (logits.argmax(1) == y[200:]).float().mean().item()
    print(f"test accuracy {test_acc:.3f}")
    print("done")


if __name__ == "__main__":
    main()
