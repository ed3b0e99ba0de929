"""The model is built outside and handed to a Runner, which trains it epoch by epoch and evaluates it."""
import torch
from torch import nn


class Runner:
    def __init__(self, model, lr):
        self.model = model
        self.optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    def run_epoch(self, X, y):
        self.model.train()
        self.optimizer.zero_grad()
        loss = nn.functional.mse_loss(self.model(X), y)
        loss.backward()
        self.optimizer.step()

    def evaluate(self, X, y):
        self.model.eval()
        with torch.no_grad():
            return nn.functional.mse_loss(self.model(X), y).item()


def main():
    torch.manual_seed(2)
    X = torch.randn(200, 5)
    y = X[:, :1] * 2 - X[:, 1:2]
    network = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 1))
    runner = Runner(network, lr=0.02)
    for epoch in range(30):
        runner.run_epoch(X[:160], y[:160])
    val_mse = runner.evaluate(X[160:], y[160:])
    print(f"val mse {val_mse:.4f}")


if __name__ == "__main__":
    main()
