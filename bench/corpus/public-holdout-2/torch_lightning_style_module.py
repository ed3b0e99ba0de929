"""Lightning-like structure without Lightning: a WineClassifier module with training_step,
validation_step, on_validation_epoch_end and configure_optimizers, driven by a small hand-written
Trainer(max_epochs=...).fit(module, train_loader, val_loader) and test(); hparams kept on the
module as self.hparams."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.data import DataLoader, TensorDataset


class WineClassifier(nn.Module):
    def __init__(self, n_features=13, hidden_dim=32, num_classes=3, lr=0.01, weight_decay=0.0):
        super().__init__()
        self.hparams = {"hidden_dim": hidden_dim, "lr": lr, "weight_decay": weight_decay}
        self.l1 = nn.Linear(n_features, hidden_dim)
        self.l2 = nn.Linear(hidden_dim, num_classes)
        self._val_outputs = []

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self._val_outputs.append((F.cross_entropy(logits, y, reduction="sum").item(),
                                  (logits.argmax(1) == y).sum().item(), len(y)))

    def on_validation_epoch_end(self):
        loss = sum(o[0] for o in self._val_outputs) / sum(o[2] for o in self._val_outputs)
        acc = sum(o[1] for o in self._val_outputs) / sum(o[2] for o in self._val_outputs)
        self._val_outputs.clear()
        return {"val_loss": loss, "val_acc": acc}

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams["lr"],
                                 weight_decay=self.hparams["weight_decay"])


class Trainer:
    def __init__(self, max_epochs=10, log_every_n_epochs=2):
        self.max_epochs = max_epochs
        self.log_every_n_epochs = log_every_n_epochs
        self.callback_metrics = {}

    def _validate(self, module, loader):
        module.eval()
        with torch.no_grad():
            for i, batch in enumerate(loader):
                module.validation_step(batch, i)
        return module.on_validation_epoch_end()

    def fit(self, module, train_dataloaders, val_dataloaders):
        optimizer = module.configure_optimizers()
        for epoch in range(self.max_epochs):
            module.train()
            for i, batch in enumerate(train_dataloaders):
                loss = module.training_step(batch, i)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            self.callback_metrics = self._validate(module, val_dataloaders)
            self.callback_metrics["train_loss"] = loss.item()
            if epoch % self.log_every_n_epochs == 0:
                print(f"Epoch {epoch}: " + ", ".join(
                    f"{k}={v:.4f}" for k, v in sorted(self.callback_metrics.items())))

    def test(self, module, dataloaders):
        metrics = self._validate(module, dataloaders)
        result = {"test_loss": metrics["val_loss"], "test_acc": metrics["val_acc"]}
        print(result)
        return [result]


def wine_loaders(batch_size, seed):
    X, y = load_wine(return_X_y=True)
    X_tmp, X_test, y_tmp, y_test = train_test_split(X, y, test_size=0.2, random_state=seed, stratify=y)
    X_train, X_val, y_train, y_val = train_test_split(X_tmp, y_tmp, test_size=0.2, random_state=seed,
                                                      stratify=y_tmp)
    scaler = StandardScaler().fit(X_train)

    def ds(a, b):
        return TensorDataset(torch.tensor(scaler.transform(a), dtype=torch.float32), torch.tensor(b))

    gen = torch.Generator().manual_seed(seed)
    return (DataLoader(ds(X_train, y_train), batch_size=batch_size, shuffle=True, generator=gen),
            DataLoader(ds(X_val, y_val), batch_size=64),
            DataLoader(ds(X_test, y_test), batch_size=64))


if __name__ == "__main__":
    torch.manual_seed(42)
    np.random.seed(42)
    train_loader, val_loader, test_loader = wine_loaders(batch_size=16, seed=42)
    model = WineClassifier(hidden_dim=32, lr=0.01, weight_decay=1e-3)
    trainer = Trainer(max_epochs=12, log_every_n_epochs=3)
    trainer.fit(model, train_dataloaders=train_loader, val_dataloaders=val_loader)
    trainer.test(model, dataloaders=test_loader)
    torch.save(model.state_dict(), "wine_classifier.ckpt")
