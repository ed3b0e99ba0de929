"""Torch linear regression saved with torch.save."""
import optuna
import torch
from torch import nn


def run(trial=None):
    torch.manual_seed(3)
    LEARNING_RATE = 0.05
    EPOCHS = 30
    if trial is not None:
        LEARNING_RATE = trial.suggest_range("LEARNING_RATE", 0.005, 0.3)
        EPOCHS = trial.suggest_int("EPOCHS", 10, 60)

    X = torch.randn(200, 4)
    y = X @ torch.tensor([[2.0], [-1.0], [0.5], [3.0]]) + 0.1 * torch.randn(200, 1)
    model = nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    for epoch in range(EPOCHS):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X[:160]), y[:160])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        test_mse = nn.functional.mse_loss(model(X[160:]), y[160:]).item()
    print(f"test_mse: {test_mse:.4f}")
    torch.save(model.state_dict(), "linear.pt")
    return test_mse


study = optuna.create_study(direction="minimize")
study.optimize(run, n_trials=10)
print("best params:", study.best_params)
run(optuna.trial.FixedTrial(study.best_params))
