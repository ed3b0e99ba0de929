"""Script with main(argv=None) -> int and sys.exit(main()): argparse with choices, OneCycleLR
stepped per optimizer step, gradient accumulation over micro-batches, label smoothing, on the
breast-cancer data; the final metrics are printed as one JSON line."""
import argparse
import json
import sys

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def build_parser():
    parser = argparse.ArgumentParser(prog="train", description="one-cycle MLP on breast cancer")
    parser.add_argument("--max-lr", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--micro-batch", type=int, default=16)
    parser.add_argument("--accum-steps", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=48)
    parser.add_argument("--activation", choices=["relu", "gelu", "tanh"], default="gelu")
    parser.add_argument("--label-smoothing", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=17)
    return parser


class Net(nn.Module):
    def __init__(self, n_in, hidden, activation):
        super().__init__()
        act = {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh}[activation]
        self.body = nn.Sequential(nn.Linear(n_in, hidden), act(), nn.Linear(hidden, hidden), act())
        self.out = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.out(self.body(x))


def main(argv=None):
    args = build_parser().parse_args(argv)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=args.seed, stratify=y)
    sc = StandardScaler().fit(X_tr)
    X_tr = torch.tensor(sc.transform(X_tr), dtype=torch.float32)
    X_te = torch.tensor(sc.transform(X_te), dtype=torch.float32)
    y_tr = torch.tensor(y_tr)

    model = Net(X_tr.shape[1], args.hidden, args.activation)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.max_lr, momentum=0.9)
    micro_batches = (len(X_tr) + args.micro_batch - 1) // args.micro_batch
    steps_per_epoch = (micro_batches + args.accum_steps - 1) // args.accum_steps
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.max_lr,
                                                    epochs=args.epochs, steps_per_epoch=steps_per_epoch)
    criterion = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)

    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(X_tr))
        optimizer.zero_grad()
        epoch_loss = 0.0
        for k, start in enumerate(range(0, len(perm), args.micro_batch)):
            idx = perm[start:start + args.micro_batch]
            loss = criterion(model(X_tr[idx]), y_tr[idx]) / args.accum_steps
            loss.backward()
            epoch_loss += loss.item()
            if (k + 1) % args.accum_steps == 0 or k + 1 == micro_batches:
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
        print(f"[{epoch + 1}/{args.epochs}] loss={epoch_loss / steps_per_epoch:.4f} "
              f"lr={scheduler.get_last_lr()[0]:.5f}")

    model.eval()
    with torch.no_grad():
        proba = torch.softmax(model(X_te), dim=1)[:, 1].numpy()
    result = {"test_auc": round(float(roc_auc_score(y_te, proba)), 4),
              "test_f1": round(float(f1_score(y_te, proba > 0.5)), 4)}
    print(json.dumps(result, sort_keys=True))
    torch.save(model.state_dict(), "onecycle_mlp.pt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
