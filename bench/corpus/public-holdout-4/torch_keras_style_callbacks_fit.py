"""A Keras-like fit(model, ..., callbacks=[...]) loop in PyTorch: History, EarlyStopping and
ModelCheckpoint callbacks receive a logs dict at each epoch end; blocks kept in an nn.ModuleList."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Callback:
    def on_train_begin(self, trainer):
        pass

    def on_epoch_end(self, trainer, epoch, logs):
        pass

    def on_train_end(self, trainer):
        pass


class History(Callback):
    def on_train_begin(self, trainer):
        self.history = {}

    def on_epoch_end(self, trainer, epoch, logs):
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)


class EarlyStopping(Callback):
    def __init__(self, monitor="val_loss", patience=4, min_delta=1e-4):
        self.monitor, self.patience, self.min_delta = monitor, patience, min_delta

    def on_train_begin(self, trainer):
        self.best, self.wait = float("inf"), 0

    def on_epoch_end(self, trainer, epoch, logs):
        if logs[self.monitor] < self.best - self.min_delta:
            self.best, self.wait = logs[self.monitor], 0
        else:
            self.wait += 1
            if self.wait >= self.patience:
                trainer.stop_training = True
                print(f"Epoch {epoch + 1}: early stopping")


class ModelCheckpoint(Callback):
    def __init__(self, filepath, monitor="val_loss"):
        self.filepath, self.monitor = filepath, monitor

    def on_train_begin(self, trainer):
        self.best = float("inf")

    def on_epoch_end(self, trainer, epoch, logs):
        if logs[self.monitor] < self.best:
            print(f"Epoch {epoch + 1}: {self.monitor} improved from {self.best:.4f} to {logs[self.monitor]:.4f}")
            self.best = logs[self.monitor]
            torch.save(trainer.model.state_dict(), self.filepath)


class Net(nn.Module):
    def __init__(self, n_in, widths=(64, 32), n_out=3, dropout=0.2):
        super().__init__()
        dims = [n_in, *widths]
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(a, b), nn.BatchNorm1d(b), nn.ReLU(), nn.Dropout(dropout))
            for a, b in zip(dims[:-1], dims[1:])
        )
        self.out = nn.Linear(dims[-1], n_out)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.out(x)


class Trainer:
    def __init__(self, model, optimizer, loss_fn):
        self.model, self.optimizer, self.loss_fn = model, optimizer, loss_fn
        self.stop_training = False

    def _run(self, X, y, train, batch_size=64):
        self.model.train(train)
        total, correct = 0.0, 0
        perm = torch.randperm(len(X)) if train else torch.arange(len(X))
        with torch.set_grad_enabled(train):
            for i in range(0, len(X), batch_size):
                idx = perm[i:i + batch_size]
                out = self.model(X[idx])
                loss = self.loss_fn(out, y[idx])
                if train:
                    self.optimizer.zero_grad()
                    loss.backward()
                    self.optimizer.step()
                total += loss.item() * len(idx)
                correct += (out.argmax(1) == y[idx]).sum().item()
        return total / len(X), correct / len(X)

    def fit(self, X, y, validation_data, epochs, callbacks=()):
        for cb in callbacks:
            cb.on_train_begin(self)
        for epoch in range(epochs):
            loss, acc = self._run(X, y, train=True)
            val_loss, val_acc = self._run(*validation_data, train=False)
            logs = {"loss": loss, "accuracy": acc, "val_loss": val_loss, "val_accuracy": val_acc}
            for cb in callbacks:
                cb.on_epoch_end(self, epoch, logs)
            if self.stop_training:
                break
        for cb in callbacks:
            cb.on_train_end(self)

    def evaluate(self, X, y):
        return self._run(X, y, train=False)


def main():
    torch.manual_seed(42)
    np.random.seed(42)
    X, y = make_classification(n_samples=1500, n_features=20, n_informative=8, n_classes=3,
                               n_clusters_per_class=2, class_sep=1.0, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
    sc = StandardScaler().fit(X_train)
    t = lambda a: torch.tensor(sc.transform(a), dtype=torch.float32)
    Xtr, Xva, Xte = t(X_train), t(X_val), t(X_test)
    ytr, yva, yte = torch.tensor(y_train), torch.tensor(y_val), torch.tensor(y_test)

    model = Net(20)
    trainer = Trainer(model, torch.optim.Adam(model.parameters(), lr=2e-3), nn.CrossEntropyLoss())
    history = History()
    trainer.fit(Xtr, ytr, (Xva, yva), epochs=30,
                callbacks=[history, EarlyStopping(patience=4), ModelCheckpoint("best_model.pt")])
    print(f"epochs_run={len(history.history['loss'])}")
    model.load_state_dict(torch.load("best_model.pt"))
    test_loss, test_acc = trainer.evaluate(Xte, yte)
    print(f"test_loss={test_loss:.4f}")
    print(f"test_accuracy={test_acc:.4f}")


if __name__ == "__main__":
    main()
