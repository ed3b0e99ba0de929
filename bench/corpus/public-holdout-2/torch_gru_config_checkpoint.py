"""GRU sequence classifier driven by a nested yaml-style CONFIG dict (model/optim/train sections),
ReduceLROnPlateau on the validation loss, the best epoch checkpointed to best.pt (model and
optimizer state, epoch, metric) and reloaded for the final test."""
import copy

import numpy as np
import torch
import torch.nn as nn

CONFIG = {
    "seed": 5,
    "data": {"n_train": 800, "n_val": 200, "n_test": 200, "seq_len": 16},
    "model": {"input_size": 2, "hidden_size": 24, "num_layers": 1, "num_classes": 3},
    "optim": {"lr": 0.01, "weight_decay": 1e-4},
    "scheduler": {"factor": 0.5, "patience": 1},
    "train": {"epochs": 8, "batch_size": 50, "checkpoint": "best.pt"},
}


def synth_sequences(n, seq_len, rng):
    x = rng.normal(size=(n, seq_len, 2)).astype(np.float32)
    drift = x[:, :, 0].sum(axis=1) - 0.5 * x[:, :, 1].sum(axis=1)
    y = np.digitize(drift, [-2.0, 2.0])
    return torch.from_numpy(x), torch.from_numpy(y).long()


class GRUClassifier(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, num_classes):
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out, _ = self.gru(x)
        return self.head(out[:, -1])


def run_epoch(model, x, y, criterion, batch_size, optimizer=None, generator=None):
    training = optimizer is not None
    model.train(training)
    order = torch.randperm(len(x), generator=generator) if training else torch.arange(len(x))
    total_loss, correct = 0.0, 0
    with torch.set_grad_enabled(training):
        for start in range(0, len(x), batch_size):
            idx = order[start:start + batch_size]
            logits = model(x[idx])
            loss = criterion(logits, y[idx])
            if training:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            total_loss += loss.item() * len(idx)
            correct += (logits.argmax(1) == y[idx]).sum().item()
    return total_loss / len(x), correct / len(x)


def main(cfg):
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    d = cfg["data"]
    x_tr, y_tr = synth_sequences(d["n_train"], d["seq_len"], rng)
    x_va, y_va = synth_sequences(d["n_val"], d["seq_len"], rng)
    x_te, y_te = synth_sequences(d["n_test"], d["seq_len"], rng)

    model = GRUClassifier(**cfg["model"])
    optimizer = torch.optim.Adam(model.parameters(), **cfg["optim"])
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", **cfg["scheduler"])
    criterion = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(cfg["seed"])

    best_val = float("inf")
    t = cfg["train"]
    for epoch in range(1, t["epochs"] + 1):
        tr_loss, tr_acc = run_epoch(model, x_tr, y_tr, criterion, t["batch_size"], optimizer, gen)
        va_loss, va_acc = run_epoch(model, x_va, y_va, criterion, t["batch_size"])
        scheduler.step(va_loss)
        print(f"epoch {epoch:02d} | train {tr_loss:.4f}/{tr_acc:.3f} | val {va_loss:.4f}/{va_acc:.3f}"
              f" | lr {optimizer.param_groups[0]['lr']:.4g}")
        if va_loss < best_val:
            best_val = va_loss
            torch.save({"epoch": epoch, "model_state_dict": copy.deepcopy(model.state_dict()),
                        "optimizer_state_dict": optimizer.state_dict(), "val_loss": va_loss},
                       t["checkpoint"])

    checkpoint = torch.load(t["checkpoint"], weights_only=False)
    model.load_state_dict(checkpoint["model_state_dict"])
    te_loss, te_acc = run_epoch(model, x_te, y_te, criterion, t["batch_size"])
    print(f"best epoch {checkpoint['epoch']} val_loss {checkpoint['val_loss']:.4f}")
    print(f"test loss {te_loss:.4f} test accuracy {te_acc:.4f}")


if __name__ == "__main__":
    main(CONFIG)
