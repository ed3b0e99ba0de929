"""Hydra-like run: nested dict defaults, `key.sub=value` overrides from argv, models built from a registry."""
import ast
import copy
import json
import sys

import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

DEFAULTS = {
    "seed": 5,
    "data": {"test_size": 0.2, "val_size": 0.15},
    "model": {"name": "convnet", "width": 16, "dropout": 0.25},
    "trainer": {"max_epochs": 5, "batch_size": 64, "lr": 0.002, "weight_decay": 0.0},
    "output": {"checkpoint": "best.ckpt", "summary": "summary.json"},
}

MODELS = {}


def register(name):
    def deco(cls):
        MODELS[name] = cls
        return cls
    return deco


@register("mlp")
class MLP(nn.Module):
    def __init__(self, width, dropout):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, width * 4), nn.ReLU(), nn.Dropout(dropout),
                                 nn.Linear(width * 4, 10))

    def forward(self, x):
        return self.net(x)


@register("convnet")
class ConvNet(nn.Module):
    def __init__(self, width, dropout):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(width * 16, 64), nn.ReLU(),
                                        nn.Linear(64, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def apply_overrides(cfg, overrides):
    cfg = copy.deepcopy(cfg)
    for item in overrides:
        key, _, raw = item.partition("=")
        node = cfg
        *parents, leaf = key.split(".")
        for p in parents:
            node = node[p]
        try:
            node[leaf] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            node[leaf] = raw
    return cfg


def instantiate(model_cfg):
    params = {k: v for k, v in model_cfg.items() if k != "name"}
    return MODELS[model_cfg["name"]](**params)


def make_data(cfg):
    X, y = load_digits(return_X_y=True)
    X = torch.tensor(X / 16.0, dtype=torch.float32).view(-1, 1, 8, 8)
    y = torch.tensor(y)
    idx = list(range(len(y)))
    tr, te = train_test_split(idx, test_size=cfg["data"]["test_size"], random_state=cfg["seed"], stratify=y)
    tr, va = train_test_split(tr, test_size=cfg["data"]["val_size"], random_state=cfg["seed"], stratify=y[tr])
    return (X[tr], y[tr]), (X[va], y[va]), (X[te], y[te])


@torch.no_grad()
def score(model, X, y):
    model.eval()
    logits = model(X)
    return nn.functional.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def fit(cfg):
    torch.manual_seed(cfg["seed"])
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = make_data(cfg)
    model = instantiate(cfg["model"])
    tcfg = cfg["trainer"]
    optimizer = torch.optim.Adam(model.parameters(), lr=tcfg["lr"], weight_decay=tcfg["weight_decay"])
    best = {"val_acc": -1.0}
    for epoch in range(tcfg["max_epochs"]):
        model.train()
        order = torch.randperm(len(y_tr))
        for start in range(0, len(order), tcfg["batch_size"]):
            b = order[start:start + tcfg["batch_size"]]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(X_tr[b]), y_tr[b]).backward()
            optimizer.step()
        val_loss, val_acc = score(model, X_va, y_va)
        print(f"[{cfg['model']['name']}] epoch={epoch} val_loss={val_loss:.4f} val_acc={val_acc:.4f}")
        if val_acc > best["val_acc"]:
            best = {"epoch": epoch, "val_acc": val_acc}
            torch.save(model.state_dict(), cfg["output"]["checkpoint"])
    model.load_state_dict(torch.load(cfg["output"]["checkpoint"]))
    test_loss, test_acc = score(model, X_te, y_te)
    return {"best_epoch": best["epoch"], "val_acc": round(best["val_acc"], 4), "test_loss": round(test_loss, 4),
            "test_acc": round(test_acc, 4)}


if __name__ == "__main__":
    cfg = apply_overrides(DEFAULTS, sys.argv[1:])
    print(json.dumps(cfg, sort_keys=True))
    summary = fit(cfg)
    with open(cfg["output"]["summary"], "w") as fh:
        json.dump({"config": cfg, "result": summary}, fh, indent=2)
    print(summary)
