"""Hand-written random search over an MLP on the breast-cancer data (no tuning library): `SEARCH_SPACE` dict of
samplers (log-uniform learning rate, choice of widths/depths, uniform dropout), `sample_config(rng)`, `build_model(cfg)`,
`train_and_evaluate(cfg, data, trial_id) -> dict` with a short budget per trial, trials appended to `trials.jsonl`,
the best configuration retrained on train+val with the full budget, `best_model.pt` + `best_config.json`, test
accuracy / ROC AUC at the end."""
import copy
import json
import math
import random

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

SEED = 7
N_TRIALS = 8
TRIAL_EPOCHS = 15
FINAL_EPOCHS = 40
BATCH_SIZE = 32

SEARCH_SPACE = {
    "lr": ("loguniform", 1e-4, 3e-2),
    "hidden": ("choice", [16, 32, 64, 128]),
    "n_layers": ("choice", [1, 2, 3]),
    "dropout": ("uniform", 0.0, 0.5),
    "weight_decay": ("loguniform", 1e-6, 1e-2),
    "optimizer": ("choice", ["adam", "sgd"]),
}


def sample_config(rng):
    cfg = {}
    for name, spec in SEARCH_SPACE.items():
        kind = spec[0]
        if kind == "loguniform":
            cfg[name] = float(math.exp(rng.uniform(math.log(spec[1]), math.log(spec[2]))))
        elif kind == "uniform":
            cfg[name] = float(rng.uniform(spec[1], spec[2]))
        else:
            cfg[name] = rng.choice(spec[1])
    return cfg


def build_model(cfg, in_features):
    layers, width = [], in_features
    for _ in range(cfg["n_layers"]):
        layers += [nn.Linear(width, cfg["hidden"]), nn.ReLU(), nn.Dropout(cfg["dropout"])]
        width = cfg["hidden"]
    layers.append(nn.Linear(width, 1))
    return nn.Sequential(*layers)


def make_optimizer(cfg, params):
    if cfg["optimizer"] == "adam":
        return torch.optim.Adam(params, lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    return torch.optim.SGD(params, lr=cfg["lr"] * 10, momentum=0.9, weight_decay=cfg["weight_decay"])


def fit(model, optimizer, X, y, epochs, seed):
    g = torch.Generator().manual_seed(seed)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(epochs):
        model.train()
        perm = torch.randperm(len(X), generator=g)
        for i in range(0, len(X), BATCH_SIZE):
            idx = perm[i:i + BATCH_SIZE]
            optimizer.zero_grad()
            loss = loss_fn(model(X[idx]).squeeze(1), y[idx])
            loss.backward()
            optimizer.step()
    return model


@torch.no_grad()
def evaluate(model, X, y):
    model.eval()
    logits = model(X).squeeze(1)
    loss = nn.functional.binary_cross_entropy_with_logits(logits, y).item()
    prob = torch.sigmoid(logits).numpy()
    acc = float(((prob > 0.5) == y.numpy().astype(bool)).mean())
    return {"loss": loss, "accuracy": acc, "auc": float(roc_auc_score(y.numpy(), prob))}


def train_and_evaluate(cfg, data, trial_id):
    torch.manual_seed(SEED + trial_id)
    model = build_model(cfg, data["X_train"].shape[1])
    optimizer = make_optimizer(cfg, model.parameters())
    fit(model, optimizer, data["X_train"], data["y_train"], TRIAL_EPOCHS, SEED + trial_id)
    return evaluate(model, data["X_val"], data["y_val"])


def load_data():
    X, y = load_breast_cancer(return_X_y=True)
    X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)
    X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.25, random_state=SEED,
                                                      stratify=y_tmp)
    scaler = StandardScaler().fit(X_train)
    t = lambda a: torch.tensor(a, dtype=torch.float32)
    return {"X_train": t(scaler.transform(X_train)), "y_train": t(y_train),
            "X_val": t(scaler.transform(X_val)), "y_val": t(y_val),
            "X_test": t(scaler.transform(X_test)), "y_test": t(y_test)}


def main():
    random.seed(SEED)
    np.random.seed(SEED)
    rng = random.Random(SEED)
    data = load_data()
    trials = []
    with open("trials.jsonl", "w") as fh:
        for trial_id in range(N_TRIALS):
            cfg = sample_config(rng)
            metrics = train_and_evaluate(cfg, data, trial_id)
            record = {"trial": trial_id, "config": cfg, **{f"val_{k}": v for k, v in metrics.items()}}
            trials.append(record)
            fh.write(json.dumps(record) + "\n")
            print(f"trial {trial_id}: lr={cfg['lr']:.5f} hidden={cfg['hidden']} layers={cfg['n_layers']} "
                  f"dropout={cfg['dropout']:.2f} opt={cfg['optimizer']} -> val_loss {metrics['loss']:.4f} "
                  f"val_acc {metrics['accuracy']:.4f}")

    best = min(trials, key=lambda r: r["val_loss"])
    best_cfg = copy.deepcopy(best["config"])
    print(f"best trial {best['trial']} val_loss {best['val_loss']:.4f} val_auc {best['val_auc']:.4f}")

    # retrain on train + val with the full budget
    torch.manual_seed(SEED)
    X_full = torch.cat([data["X_train"], data["X_val"]])
    y_full = torch.cat([data["y_train"], data["y_val"]])
    model = build_model(best_cfg, X_full.shape[1])
    fit(model, make_optimizer(best_cfg, model.parameters()), X_full, y_full, FINAL_EPOCHS, SEED)
    test_metrics = evaluate(model, data["X_test"], data["y_test"])
    torch.save(model.state_dict(), "best_model.pt")
    with open("best_config.json", "w") as fh:
        json.dump(best_cfg, fh, indent=2)
    print(f"test loss {test_metrics['loss']:.4f} test accuracy {test_metrics['accuracy']:.4f} "
          f"test auc {test_metrics['auc']:.4f}")


if __name__ == "__main__":
    main()
