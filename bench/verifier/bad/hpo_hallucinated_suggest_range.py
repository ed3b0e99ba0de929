"""Torch linear regression saved with torch.save."""
import optuna
import torch
from torch import nn

torch.manual_seed(3)
LEARNING_RATE = 0.05
EPOCHS = 30

X = torch.randn(200, 4)
y = X @ torch.tensor([[2.0], [-1.0], [0.5], [3.0]]) + 0.1 * torch.randn(200, 1)


def objective(trial):
    """Fit rows 0-120 with the suggested settings, score on rows 120-160; rows 160+ stay the test split."""
    lr = trial.suggest_range("LEARNING_RATE", 0.005, 0.3)
    epochs = trial.suggest_int("EPOCHS", 10, 60)
    candidate = nn.Linear(4, 1)
    opt = torch.optim.SGD(candidate.parameters(), lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        nn.functional.mse_loss(candidate(X[:120]), y[:120]).backward()
        opt.step()
    with torch.no_grad():
        return nn.functional.mse_loss(candidate(X[120:160]), y[120:160]).item()


study = optuna.create_study(direction="minimize")
study.optimize(objective, n_trials=10)
print("best params:", study.best_params)
LEARNING_RATE = study.best_params["LEARNING_RATE"]
EPOCHS = study.best_params["EPOCHS"]

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
