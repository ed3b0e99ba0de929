"""A two-layer regression network on synthetic data, organised as train/evaluate functions."""
import optuna
import torch
from torch import nn


def make_data(n=400, seed=0):
    gen = torch.Generator().manual_seed(seed)
    X = torch.rand(n, 6, generator=gen) * 2 - 1
    w = torch.tensor([1.5, -2.0, 0.7, 0.0, 3.0, -1.2])
    y = X @ w + 0.1 * torch.randn(n, generator=gen)
    return X, y.unsqueeze(1)


def build_model(hidden):
    return nn.Sequential(nn.Linear(6, hidden), nn.Tanh(), nn.Linear(hidden, 1))


def train(model, X, y, lr, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    for epoch in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        if epoch % 20 == 0:
            print(f"epoch {epoch:3d}  mse {loss.item():.4f}")
    return model


def evaluate(model, X, y):
    with torch.no_grad():
        return nn.functional.mse_loss(model(X), y).item()


def main():
    torch.manual_seed(0)
    lr = 0.01
    hidden = 24
    epochs = 100
    X, y = make_data()
    X_train, y_train, X_test, y_test = X[:320], y[:320], X[320:], y[320:]
    X_fit, y_fit, X_val, y_val = X_train[:256], y_train[:256], X_train[256:], y_train[256:]

    def objective(trial):
        trial_lr = trial.suggest_float("lr", 1e-3, 1e-1, log=True)
        trial_hidden = trial.suggest_int("hidden", 8, 64)
        candidate = train(build_model(trial_hidden), X_fit, y_fit, trial_lr, epochs)
        return evaluate(candidate, X_val, y_val)

    study = optuna.create_study(direction="minimize")
    study.optimize(objective, n_trials=5)
    print("best params:", study.best_params)
    lr = study.best_params["lr"]
    hidden = study.best_params["hidden"]

    model = build_model(hidden)
    train(model, X_train, y_train, lr, epochs)
    test_mse = evaluate(model, X_test, y_test)
    print(f"test mse: {test_mse:.4f}")


if __name__ == "__main__":
    main()
