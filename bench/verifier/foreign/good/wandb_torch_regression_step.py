"""A two-layer regression network on synthetic data, organised as train/evaluate functions."""
import torch
import wandb
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
        wandb.log({"train_mse": loss.item()}, step=epoch)
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
    wandb.init(project="torch-regression", config={"lr": lr, "hidden": hidden, "epochs": epochs})
    X, y = make_data()
    X_train, y_train, X_test, y_test = X[:320], y[:320], X[320:], y[320:]
    model = build_model(hidden)
    train(model, X_train, y_train, lr, epochs)
    test_mse = evaluate(model, X_test, y_test)
    wandb.summary["test_mse"] = test_mse
    print(f"test mse: {test_mse:.4f}")
    wandb.finish()


if __name__ == "__main__":
    main()
