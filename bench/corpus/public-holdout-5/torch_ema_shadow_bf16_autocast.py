"""Breast-cancer MLP trained under CPU bfloat16 autocast, evaluated with an EMA of its weights."""
import argparse
import copy

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class EMA:
    """Keeps a shadow copy of the float parameters, updated after every optimizer step."""

    def __init__(self, model, decay=0.99):
        self.decay = decay
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items()}
        self.backup = {}

    @torch.no_grad()
    def update(self, model):
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.shadow[k].mul_(self.decay).add_(v.detach(), alpha=1.0 - self.decay)

    def apply_shadow(self, model):
        self.backup = copy.deepcopy(model.state_dict())
        model.load_state_dict(self.shadow)

    def restore(self, model):
        model.load_state_dict(self.backup)
        self.backup = {}


class Net(nn.Module):
    def __init__(self, n_in, hidden, dropout):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(n_in, hidden), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.GELU(),
        )
        self.head = nn.Linear(hidden, 2)

    def forward(self, x):
        return self.head(self.body(x))


def accuracy(model, X, y):
    model.eval()
    with torch.no_grad(), torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        logits = model(X)
    return (logits.float().argmax(1) == y).float().mean().item()


def main():
    parser = argparse.ArgumentParser(description="bf16 autocast + EMA")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--ema-decay", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, random_state=args.seed)
    X_tr, X_va, y_tr, y_va = train_test_split(X_tr, y_tr, test_size=0.2, stratify=y_tr, random_state=args.seed)
    scaler = StandardScaler().fit(X_tr)
    to_t = lambda a: torch.tensor(scaler.transform(a), dtype=torch.float32)
    X_tr, X_va, X_te = to_t(X_tr), to_t(X_va), to_t(X_te)
    y_tr, y_va, y_te = (torch.tensor(a) for a in (y_tr, y_va, y_te))

    model = Net(X_tr.shape[1], args.hidden, args.dropout)
    ema = EMA(model, decay=args.ema_decay)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    criterion = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(args.seed)

    for epoch in range(1, args.epochs + 1):
        model.train()
        perm = torch.randperm(len(X_tr), generator=g)
        total = 0.0
        for i in range(0, len(perm), args.batch_size):
            idx = perm[i:i + args.batch_size]
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
                logits = model(X_tr[idx])
            loss = criterion(logits.float(), y_tr[idx])
            loss.backward()
            optimizer.step()
            ema.update(model)
            total += loss.item() * len(idx)
        raw_acc = accuracy(model, X_va, y_va)
        ema.apply_shadow(model)
        ema_acc = accuracy(model, X_va, y_va)
        ema.restore(model)
        print(f"epoch {epoch:02d} loss {total / len(X_tr):.4f} val_acc {raw_acc:.4f} val_acc_ema {ema_acc:.4f}")

    ema.apply_shadow(model)
    test_acc = accuracy(model, X_te, y_te)
    print(f"test accuracy (EMA weights): {test_acc:.4f}")
    torch.save(model.state_dict(), "ema_model.pt")


if __name__ == "__main__":
    main()
