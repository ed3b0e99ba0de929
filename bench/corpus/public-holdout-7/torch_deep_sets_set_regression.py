"""Permutation-invariant regression with a Deep Sets model (phi / sum-pool / rho), in the shape of the Deep Sets
sum-of-digits experiments and their PyTorch re-implementations: a `SetDataset` generating variable-size sets of
integers with their sum of squares as the target, `collate_sets` padding to the longest set with a mask,
`DeepSets(phi, rho)` built from `InvariantModel`-style parts, `--pool {sum,mean,max}`, L1 loss, evaluation on sets
longer than any seen in training (generalisation), and `ReduceLROnPlateau` on the validation MAE."""
import argparse

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class SetDataset(Dataset):
    def __init__(self, n_sets, min_len, max_len, max_value=10, seed=0):
        rng = np.random.RandomState(seed)
        self.sets = [rng.randint(0, max_value, size=rng.randint(min_len, max_len + 1)) for _ in range(n_sets)]
        self.max_value = max_value

    def __len__(self):
        return len(self.sets)

    def __getitem__(self, idx):
        s = self.sets[idx]
        target = float((s.astype(np.float64) ** 2).sum()) / 100.0
        return torch.tensor(s, dtype=torch.long), torch.tensor(target, dtype=torch.float32)


def collate_sets(batch):
    lengths = [len(s) for s, _ in batch]
    max_len = max(lengths)
    items = torch.zeros(len(batch), max_len, dtype=torch.long)
    mask = torch.zeros(len(batch), max_len)
    for i, (s, _) in enumerate(batch):
        items[i, :len(s)] = s
        mask[i, :len(s)] = 1.0
    targets = torch.stack([t for _, t in batch])
    return items, mask, targets


class Phi(nn.Module):
    def __init__(self, num_values, embed_dim, hidden):
        super().__init__()
        self.embed = nn.Embedding(num_values, embed_dim)
        self.fc1 = nn.Linear(embed_dim, hidden)
        self.fc2 = nn.Linear(hidden, hidden)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(self.embed(x))))


class Rho(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc1 = nn.Linear(hidden, hidden)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x))).squeeze(-1)


class DeepSets(nn.Module):
    def __init__(self, phi, rho, pool="sum"):
        super().__init__()
        self.phi = phi
        self.rho = rho
        self.pool = pool

    def forward(self, items, mask):
        h = self.phi(items) * mask.unsqueeze(-1)
        if self.pool == "sum":
            pooled = h.sum(1)
        elif self.pool == "mean":
            pooled = h.sum(1) / mask.sum(1, keepdim=True)
        else:
            pooled = h.masked_fill(mask.unsqueeze(-1) == 0, -1e9).max(1).values
        return self.rho(pooled)


def run_epoch(model, loader, loss_fn, optimizer=None):
    training = optimizer is not None
    model.train(training)
    total, n = 0.0, 0
    with torch.set_grad_enabled(training):
        for items, mask, targets in loader:
            preds = model(items, mask)
            loss = loss_fn(preds, targets)
            if training:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            total += loss.item() * len(targets)
            n += len(targets)
    return total / n


def main():
    parser = argparse.ArgumentParser(description="Deep Sets: sum of squares of a set of digits")
    parser.add_argument("--train-sets", type=int, default=3000)
    parser.add_argument("--min-len", type=int, default=2)
    parser.add_argument("--max-len", type=int, default=10)
    parser.add_argument("--test-len", type=int, default=20, help="set length for the generalisation test")
    parser.add_argument("--embed-dim", type=int, default=16)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--pool", choices=["sum", "mean", "max"], default="sum")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", type=str, default="deepsets.pt")
    args = parser.parse_args()
    torch.manual_seed(args.seed)

    train_ds = SetDataset(args.train_sets, args.min_len, args.max_len, seed=args.seed)
    val_ds = SetDataset(500, args.min_len, args.max_len, seed=args.seed + 1)
    test_ds = SetDataset(500, args.test_len, args.test_len, seed=args.seed + 2)
    train_loader = DataLoader(train_ds, batch_size=args.batch_size, shuffle=True, collate_fn=collate_sets,
                              generator=torch.Generator().manual_seed(args.seed))
    val_loader = DataLoader(val_ds, batch_size=256, collate_fn=collate_sets)
    test_loader = DataLoader(test_ds, batch_size=256, collate_fn=collate_sets)

    model = DeepSets(Phi(train_ds.max_value, args.embed_dim, args.hidden), Rho(args.hidden), pool=args.pool)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)
    loss_fn = nn.L1Loss()
    best_val = float("inf")
    for epoch in range(1, args.epochs + 1):
        train_mae = run_epoch(model, train_loader, loss_fn, optimizer)
        val_mae = run_epoch(model, val_loader, loss_fn)
        scheduler.step(val_mae)
        flag = ""
        if val_mae < best_val:
            best_val = val_mae
            torch.save(model.state_dict(), args.save)
            flag = " *"
        print(f"epoch {epoch:2d} train MAE {train_mae:.4f} val MAE {val_mae:.4f} "
              f"lr {optimizer.param_groups[0]['lr']:.5f}{flag}")
    model.load_state_dict(torch.load(args.save))
    print(f"best val MAE {best_val:.4f}")
    print(f"test MAE on sets of length {args.test_len}: {run_epoch(model, test_loader, loss_fn):.4f}")


if __name__ == "__main__":
    main()
