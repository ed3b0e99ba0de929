"""Wine classification with a small torch MLP; options come from argparse inside main()."""
import argparse

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def parse_args():
    parser = argparse.ArgumentParser(description="train a wine classifier")
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--hidden-units", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    X, y = load_wine(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, random_state=args.seed, stratify=y)
    scaler = StandardScaler().fit(X_tr)
    X_tr = torch.tensor(scaler.transform(X_tr), dtype=torch.float32)
    X_te = torch.tensor(scaler.transform(X_te), dtype=torch.float32)
    y_tr = torch.tensor(y_tr)
    y_te = torch.tensor(y_te)

    net = nn.Sequential(nn.Linear(13, args.hidden_units), nn.Tanh(), nn.Linear(args.hidden_units, 3))
    opt = torch.optim.Adam(net.parameters(), lr=args.learning_rate, weight_decay=args.weight_decay)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        opt.zero_grad()
        loss = criterion(net(X_tr), y_tr)
        loss.backward()
        opt.step()

    net.eval()
    with torch.no_grad():
        predictions = net(X_te).argmax(dim=1)
    test_acc = (predictions == y_te).float().mean().item()
    print(f"final train loss: {loss.item():.4f}")
    print(f"test accuracy: {test_acc:.3f}")
    print("class counts:", np.bincount(predictions.numpy(), minlength=3).tolist())


if __name__ == "__main__":
    main()
