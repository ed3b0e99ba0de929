"""Residual MLP regressor on the diabetes data: Config class, _init_weights via apply, AdamW
parameter groups (no decay on biases and norms), linear warmup + cosine via LambdaLR, clip_grad_value_."""
import math
import random

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_diabetes
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Config:
    seed = 1234
    width = 64
    depth = 3
    dropout = 0.1
    lr = 3e-3
    weight_decay = 0.05
    warmup_steps = 20
    epochs = 40
    batch_size = 32
    clip_value = 1.0


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class ResidualBlock(nn.Module):
    def __init__(self, width, dropout):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.fc1 = nn.Linear(width, width * 2)
        self.fc2 = nn.Linear(width * 2, width)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        h = self.fc2(self.drop(torch.relu(self.fc1(self.norm(x)))))
        return x + h


class ResMLP(nn.Module):
    def __init__(self, n_features, cfg):
        super().__init__()
        self.stem = nn.Linear(n_features, cfg.width)
        self.blocks = nn.Sequential(*[ResidualBlock(cfg.width, cfg.dropout) for _ in range(cfg.depth)])
        self.head = nn.Linear(cfg.width, 1)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, nn.Linear):
            nn.init.trunc_normal_(module.weight, std=0.02)
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.LayerNorm):
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x))).squeeze(-1)


def param_groups(model, weight_decay):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim < 2 or "norm" in name else decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def warmup_cosine(warmup, total):
    def fn(step):
        if step < warmup:
            return (step + 1) / warmup
        progress = (step - warmup) / max(1, total - warmup)
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    return fn


def evaluate(model, X, y, y_scale):
    model.eval()
    with torch.no_grad():
        pred = model(X)
    rmse = torch.sqrt(torch.mean((pred - y) ** 2)).item() * y_scale
    return rmse, r2_score(y.numpy(), pred.numpy())


def main(cfg=Config):
    set_seed(cfg.seed)
    X, y = load_diabetes(return_X_y=True)
    X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, random_state=cfg.seed)
    X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.2, random_state=cfg.seed)
    xs = StandardScaler().fit(X_train)
    y_mean, y_std = y_train.mean(), y_train.std()
    to_t = lambda a: torch.tensor(a, dtype=torch.float32)
    Xtr, Xva, Xte = to_t(xs.transform(X_train)), to_t(xs.transform(X_val)), to_t(xs.transform(X_test))
    ytr, yva, yte = (to_t((v - y_mean) / y_std) for v in (y_train, y_val, y_test))

    model = ResMLP(X.shape[1], cfg)
    optimizer = torch.optim.AdamW(param_groups(model, cfg.weight_decay), lr=cfg.lr)
    steps_per_epoch = math.ceil(len(Xtr) / cfg.batch_size)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, warmup_cosine(cfg.warmup_steps, cfg.epochs * steps_per_epoch))
    loss_fn = nn.MSELoss()
    for epoch in range(cfg.epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(Xtr), cfg.batch_size):
            idx = perm[i:i + cfg.batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xtr[idx]), ytr[idx])
            loss.backward()
            torch.nn.utils.clip_grad_value_(model.parameters(), cfg.clip_value)
            optimizer.step()
            scheduler.step()
        if (epoch + 1) % 10 == 0:
            val_rmse, val_r2 = evaluate(model, Xva, yva, y_std)
            print(f"epoch {epoch + 1} loss {loss.item():.4f} val_rmse {val_rmse:.2f} val_r2 {val_r2:.4f}")
    test_rmse, test_r2 = evaluate(model, Xte, yte, y_std)
    print(f"test_rmse={test_rmse:.3f}")
    print(f"test_r2={test_r2:.4f}")
    torch.save({"model": model.state_dict(), "y_mean": float(y_mean), "y_std": float(y_std)}, "resmlp.pt")


if __name__ == "__main__":
    main()
