"""Snapshot ensembling: one training run with `CosineAnnealingWarmRestarts(T_0, T_mult)` stepped per batch with the
fractional epoch (`scheduler.step(epoch + i / iters)`), a snapshot `snapshots/snapshot_<k>.pt` saved at the end of
every cycle, then the ensemble built from the last `--n-snapshots` snapshots by averaging their softmax outputs;
`Config` class with `__init__` defaults and `from_args`, classification of a synthetic 5-class problem with a
train/test split only (no validation: all snapshots are ensembled), individual snapshot vs ensemble accuracy and
NLL, `ensemble.pt` holding the list of state dicts."""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Config:
    def __init__(self, lr=0.1, momentum=0.9, weight_decay=5e-4, batch_size=64, t0=4, t_mult=1, cycles=4,
                 n_snapshots=3, hidden=128, seed=2024, out_dir="snapshots"):
        self.lr = lr
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.batch_size = batch_size
        self.t0 = t0
        self.t_mult = t_mult
        self.cycles = cycles
        self.n_snapshots = n_snapshots
        self.hidden = hidden
        self.seed = seed
        self.out_dir = out_dir

    @property
    def epochs(self):
        return sum(self.t0 * self.t_mult ** k for k in range(self.cycles))

    @classmethod
    def from_args(cls, argv=None):
        defaults = cls()
        parser = argparse.ArgumentParser(description="Snapshot ensemble (cosine warm restarts)")
        for name, value in vars(defaults).items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
        return cls(**vars(parser.parse_args(argv)))


class Net(nn.Module):
    def __init__(self, in_dim, hidden, n_classes):
        super().__init__()
        self.fc1 = nn.Linear(in_dim, hidden)
        self.bn1 = nn.BatchNorm1d(hidden)
        self.fc2 = nn.Linear(hidden, hidden // 2)
        self.fc3 = nn.Linear(hidden // 2, n_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        x = F.dropout(F.relu(self.fc2(x)), p=0.2, training=self.training)
        return self.fc3(x)


def evaluate_probs(model, X):
    model.eval()
    with torch.no_grad():
        return F.softmax(model(X), dim=1)


def main(cfg):
    torch.manual_seed(cfg.seed)
    np.random.seed(cfg.seed)
    os.makedirs(cfg.out_dir, exist_ok=True)
    X, y = make_classification(n_samples=3000, n_features=30, n_informative=15, n_redundant=5, n_classes=5,
                               n_clusters_per_class=2, class_sep=1.0, random_state=cfg.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=cfg.seed, stratify=y)
    scaler = StandardScaler().fit(X_train)
    X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
    X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
    y_train, y_test = torch.tensor(y_train), torch.tensor(y_test)

    model = Net(X_train.shape[1], cfg.hidden, 5)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum,
                                weight_decay=cfg.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=cfg.t0, T_mult=cfg.t_mult)
    iters = (len(X_train) + cfg.batch_size - 1) // cfg.batch_size
    gen = torch.Generator().manual_seed(cfg.seed)
    cycle_ends, end = [], 0
    for k in range(cfg.cycles):
        end += cfg.t0 * cfg.t_mult ** k
        cycle_ends.append(end)
    snapshots = []
    print(f"training {cfg.epochs} epochs in {cfg.cycles} cycles, {iters} iterations per epoch")
    for epoch in range(cfg.epochs):
        model.train()
        perm = torch.randperm(len(X_train), generator=gen)
        running = 0.0
        for i in range(iters):
            idx = perm[i * cfg.batch_size:(i + 1) * cfg.batch_size]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(X_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
            scheduler.step(epoch + i / iters)
            running += loss.item()
        test_acc = (evaluate_probs(model, X_test).argmax(1) == y_test).float().mean().item()
        print(f"epoch {epoch + 1:2d} lr {optimizer.param_groups[0]['lr']:.5f} loss {running / iters:.4f} "
              f"test acc {test_acc:.4f}")
        if epoch + 1 in cycle_ends:
            path = os.path.join(cfg.out_dir, f"snapshot_{len(snapshots)}.pt")
            torch.save(model.state_dict(), path)
            snapshots.append({k: v.clone() for k, v in model.state_dict().items()})
            print(f"  saved snapshot {len(snapshots) - 1} -> {path}")

    chosen = snapshots[-cfg.n_snapshots:]
    probs = []
    for k, state in enumerate(chosen):
        member = Net(X_train.shape[1], cfg.hidden, 5)
        member.load_state_dict(state)
        p = evaluate_probs(member, X_test)
        probs.append(p)
        print(f"snapshot {len(snapshots) - len(chosen) + k}: acc {(p.argmax(1) == y_test).float().mean().item():.4f} "
              f"nll {F.nll_loss(p.clamp_min(1e-8).log(), y_test).item():.4f}")
    ens = torch.stack(probs).mean(0)
    torch.save(chosen, "ensemble.pt")
    print(f"ensemble of {len(chosen)}: acc {(ens.argmax(1) == y_test).float().mean().item():.4f} "
          f"nll {F.nll_loss(ens.clamp_min(1e-8).log(), y_test).item():.4f}")


if __name__ == "__main__":
    main(Config.from_args())
