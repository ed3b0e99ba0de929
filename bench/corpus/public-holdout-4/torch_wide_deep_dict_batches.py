"""Wide & deep click model on synthetic tabular data: the Dataset returns dict samples, the default
collate builds dict batches, model.forward takes the batch dict; SimpleNamespace config."""
from types import SimpleNamespace

import numpy as np
import torch
import torch.nn as nn
from sklearn.metrics import log_loss, roc_auc_score
from torch.utils.data import DataLoader, Dataset

cfg = SimpleNamespace(seed=11, n_rows=3000, n_users=50, n_items=40, emb_dim=8, deep_hidden=32,
                      lr=5e-3, epochs=6, batch_size=128, weight_decay=1e-5)


def make_data(n, n_users, n_items, rng):
    users = rng.randint(0, n_users, n)
    items = rng.randint(0, n_items, n)
    dense = rng.normal(size=(n, 4)).astype(np.float32)
    user_bias = rng.normal(0, 1, n_users)
    item_bias = rng.normal(0, 1, n_items)
    logit = user_bias[users] + item_bias[items] + 0.8 * dense[:, 0] - 0.5 * dense[:, 1] * dense[:, 2]
    clicks = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(np.float32)
    return users, items, dense, clicks


class ClickDataset(Dataset):
    def __init__(self, users, items, dense, clicks):
        self.users, self.items, self.dense, self.clicks = users, items, dense, clicks

    def __len__(self):
        return len(self.clicks)

    def __getitem__(self, i):
        return {"user": int(self.users[i]), "item": int(self.items[i]),
                "dense": torch.from_numpy(self.dense[i]), "label": float(self.clicks[i])}


class WideAndDeep(nn.Module):
    def __init__(self, n_users, n_items, emb_dim, hidden, n_dense=4):
        super().__init__()
        self.user_emb = nn.Embedding(n_users, emb_dim)
        self.item_emb = nn.Embedding(n_items, emb_dim)
        self.wide = nn.Linear(n_dense, 1)
        self.deep = nn.Sequential(
            nn.Linear(2 * emb_dim + n_dense, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden // 2), nn.ReLU(),
            nn.Linear(hidden // 2, 1),
        )

    def forward(self, batch):
        deep_in = torch.cat([self.user_emb(batch["user"]), self.item_emb(batch["item"]), batch["dense"]], dim=1)
        return (self.wide(batch["dense"]) + self.deep(deep_in)).squeeze(-1)


def train_one_epoch(model, loader, optimizer, loss_fn):
    model.train()
    total = 0.0
    for batch in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(batch), batch["label"].float())
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch["label"])
    return total / len(loader.dataset)


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    probs, labels = [], []
    for batch in loader:
        probs.append(torch.sigmoid(model(batch)))
        labels.append(batch["label"])
    p, y = torch.cat(probs).numpy(), torch.cat(labels).numpy()
    return {"auc": roc_auc_score(y, p), "logloss": log_loss(y, p)}


def main():
    torch.manual_seed(cfg.seed)
    rng = np.random.RandomState(cfg.seed)
    users, items, dense, clicks = make_data(cfg.n_rows, cfg.n_users, cfg.n_items, rng)
    n_train, n_val = int(0.7 * cfg.n_rows), int(0.15 * cfg.n_rows)
    parts = {
        "train": slice(0, n_train),
        "val": slice(n_train, n_train + n_val),
        "test": slice(n_train + n_val, cfg.n_rows),
    }
    datasets = {k: ClickDataset(users[s], items[s], dense[s], clicks[s]) for k, s in parts.items()}
    loaders = {
        "train": DataLoader(datasets["train"], batch_size=cfg.batch_size, shuffle=True,
                            generator=torch.Generator().manual_seed(cfg.seed)),
        "val": DataLoader(datasets["val"], batch_size=512),
        "test": DataLoader(datasets["test"], batch_size=512),
    }
    model = WideAndDeep(cfg.n_users, cfg.n_items, cfg.emb_dim, cfg.deep_hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    loss_fn = nn.BCEWithLogitsLoss()
    for epoch in range(1, cfg.epochs + 1):
        train_loss = train_one_epoch(model, loaders["train"], optimizer, loss_fn)
        val = evaluate(model, loaders["val"])
        print(f"epoch {epoch} train_loss {train_loss:.4f} val_auc {val['auc']:.4f} val_logloss {val['logloss']:.4f}")
    test = evaluate(model, loaders["test"])
    print(f"test_auc={test['auc']:.4f}")
    print(f"test_logloss={test['logloss']:.4f}")
    torch.save(model.state_dict(), "wide_deep.pt")


if __name__ == "__main__":
    main()
