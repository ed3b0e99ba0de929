"""Breast-cancer MLP that can resume: a checkpoint is written every epoch and read back at start.

main() comes first and calls helpers defined further down; results go through `logging`.
In a fresh folder there is no checkpoint, so the run starts at epoch 0.
"""
import logging
import os
import sys

import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("resume")

CHECKPOINT = "checkpoint.pt"
EPOCHS = 25
LR = 0.02
GAMMA = 0.93
HIDDEN = 24
BATCH = 48


def main():
    torch.manual_seed(0)
    loaders, (x_test, y_test) = build_data()
    model = build_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=GAMMA)
    start_epoch, best_auc = load_checkpoint(model, optimizer, scheduler)

    for epoch in range(start_epoch, EPOCHS):
        train_loss = train_one_epoch(model, optimizer, loaders)
        scheduler.step()
        val_auc = validate(model, loaders["val"])
        best_auc = max(best_auc, val_auc)
        save_checkpoint(model, optimizer, scheduler, epoch, best_auc)
        if epoch % 4 == 0:
            log.info("epoch %d loss %.4f val_auc %.4f lr %.5f", epoch, train_loss, val_auc,
                     scheduler.get_last_lr()[0])

    metrics = test(model, x_test, y_test)
    log.info("best val_auc %.4f", best_auc)
    log.info("test auc %.4f f1 %.4f", metrics["auc"], metrics["f1"])
    torch.save(model.state_dict(), "final_model.pt")


def build_data():
    X, y = load_breast_cancer(return_X_y=True)
    X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.2, stratify=y_tmp, random_state=0)
    scaler = StandardScaler().fit(X_train)

    def tensors(a, b):
        return torch.tensor(scaler.transform(a), dtype=torch.float32), torch.tensor(b, dtype=torch.float32)

    train_ds = torch.utils.data.TensorDataset(*tensors(X_train, y_train))
    val_ds = torch.utils.data.TensorDataset(*tensors(X_val, y_val))
    loaders = {
        "train": torch.utils.data.DataLoader(train_ds, batch_size=BATCH, shuffle=True),
        "val": torch.utils.data.DataLoader(val_ds, batch_size=256),
    }
    return loaders, tensors(X_test, y_test)


def build_model():
    return nn.Sequential(nn.Linear(30, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, 1))


def load_checkpoint(model, optimizer, scheduler):
    if not os.path.exists(CHECKPOINT):
        log.info("no checkpoint, starting from scratch")
        return 0, 0.0
    state = torch.load(CHECKPOINT)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    log.info("resuming after epoch %d", state["epoch"])
    return state["epoch"] + 1, state["best_auc"]


def save_checkpoint(model, optimizer, scheduler, epoch, best_auc):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": epoch, "best_auc": best_auc}, CHECKPOINT)


def train_one_epoch(model, optimizer, loaders):
    model.train()
    loss_fn = nn.BCEWithLogitsLoss()
    running = 0.0
    for xb, yb in loaders["train"]:
        optimizer.zero_grad()
        loss = loss_fn(model(xb).squeeze(1), yb)
        loss.backward()
        optimizer.step()
        running += loss.item() * len(xb)
    return running / len(loaders["train"].dataset)


def validate(model, loader):
    model.eval()
    scores, labels = [], []
    with torch.no_grad():
        for xb, yb in loader:
            scores.append(torch.sigmoid(model(xb).squeeze(1)))
            labels.append(yb)
    return roc_auc_score(torch.cat(labels).numpy(), torch.cat(scores).numpy())


def test(model, x_test, y_test):
    model.eval()
    with torch.no_grad():
        proba = torch.sigmoid(model(x_test).squeeze(1)).numpy()
    return {"auc": roc_auc_score(y_test.numpy(), proba), "f1": f1_score(y_test.numpy(), proba > 0.5)}


if __name__ == "__main__":
    main()
