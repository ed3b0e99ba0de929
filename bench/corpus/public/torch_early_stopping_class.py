"""Moons MLP with an EarlyStopping helper class that checkpoints the best weights; results via logging."""
import logging

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
logger = logging.getLogger(__name__)


class EarlyStopping:
    """Stops training when the validation loss has not improved for `patience` epochs."""

    def __init__(self, patience=5, delta=0.0, path="checkpoint.pt"):
        self.patience = patience
        self.delta = delta
        self.path = path
        self.counter = 0
        self.best_score = None
        self.early_stop = False
        self.val_loss_min = np.inf

    def __call__(self, val_loss, model):
        score = -val_loss
        if self.best_score is None or score > self.best_score + self.delta:
            self.best_score = score
            self.save_checkpoint(val_loss, model)
            self.counter = 0
        else:
            self.counter += 1
            logger.info("EarlyStopping counter: %d out of %d", self.counter, self.patience)
            if self.counter >= self.patience:
                self.early_stop = True

    def save_checkpoint(self, val_loss, model):
        logger.info("Validation loss decreased (%.6f --> %.6f). Saving model ...",
                    self.val_loss_min, val_loss)
        torch.save(model.state_dict(), self.path)
        self.val_loss_min = val_loss


def make_model(hidden):
    return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                         nn.Linear(hidden, 2))


def main(n_epochs=80, lr=0.01, hidden=16, patience=6, batch_size=32):
    torch.manual_seed(3)
    X, y = make_moons(n_samples=600, noise=0.25, random_state=3)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.3, random_state=3)
    X_tr, X_va = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(X_va, dtype=torch.float32)
    y_tr, y_va = torch.tensor(y_tr), torch.tensor(y_va)

    model = make_model(hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    early_stopping = EarlyStopping(patience=patience)
    train_losses, valid_losses = [], []
    for epoch in range(1, n_epochs + 1):
        model.train()
        perm = torch.randperm(len(X_tr))
        for start in range(0, len(X_tr), batch_size):
            idx = perm[start:start + batch_size]
            optimizer.zero_grad()
            loss = criterion(model(X_tr[idx]), y_tr[idx])
            loss.backward()
            optimizer.step()
            train_losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            out = model(X_va)
            valid_losses.append(criterion(out, y_va).item())
            val_acc = (out.argmax(1) == y_va).float().mean().item()
        train_loss = np.average(train_losses)
        valid_loss = np.average(valid_losses)
        logger.info("[%d/%d] train_loss: %.5f valid_loss: %.5f valid_acc: %.4f", epoch, n_epochs,
                    train_loss, valid_loss, val_acc)
        train_losses = []
        valid_losses = []
        early_stopping(valid_loss, model)
        if early_stopping.early_stop:
            logger.info("Early stopping")
            break

    model.load_state_dict(torch.load("checkpoint.pt"))
    with torch.no_grad():
        acc = (model(X_va).argmax(1) == y_va).float().mean().item()
    logger.info("best validation accuracy: %.4f", acc)
    return model


if __name__ == "__main__":
    main()
