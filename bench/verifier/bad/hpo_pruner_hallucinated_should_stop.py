"""Torch training with validation-based early stopping."""
import optuna
import torch
from torch import nn


def run(trial=None):
    torch.manual_seed(5)
    LR = 0.05
    MAX_EPOCHS = 20
    PATIENCE = 2
    if trial is not None:
        LR = trial.suggest_float("LR", 0.005, 0.2, log=True)
        MAX_EPOCHS = trial.suggest_int("MAX_EPOCHS", 10, 30)
        PATIENCE = trial.suggest_int("PATIENCE", 1, 4)

    X = torch.randn(300, 6)
    y = (X[:, 0] * X[:, 1] > 0).long()
    X_train, y_train, X_val, y_val = X[:240], y[:240], X[240:], y[240:]
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    best_val, bad_epochs = float("inf"), 0
    for epoch in range(MAX_EPOCHS):
        model.train()
        optimizer.zero_grad()
        loss = loss_fn(model(X_train), y_train)
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = loss_fn(model(X_val), y_val).item()
        print(f"epoch {epoch} val_loss {val_loss:.4f}")
        if trial is not None:
            trial.report(val_loss, step=epoch)
            if trial.should_stop():
                raise optuna.TrialPruned()
        if val_loss < best_val - 1e-4:
            best_val, bad_epochs = val_loss, 0
        else:
            bad_epochs += 1
            if bad_epochs >= PATIENCE:
                print(f"stopping at epoch {epoch}")
                break
    print(f"best val_loss {best_val:.4f}")
    return best_val


study = optuna.create_study(direction="minimize", pruner=optuna.pruners.MedianPruner(n_warmup_steps=3))
study.optimize(run, n_trials=20)
print("best params:", study.best_params)
run(optuna.trial.FixedTrial(study.best_params))
