"""A small trainer object given its model by keyword and storing it by tuple assignment; it trains and
evaluates the model it holds."""
import torch
import torch.nn as nn


class Runner:
    def __init__(self, net, lr, data):
        self.net, self.lr = net, lr
        self.data = data

    def train(self):
        opt = torch.optim.SGD(self.net.parameters(), lr=self.lr)
        x, y = self.data
        for _ in range(4):
            loss = nn.functional.mse_loss(self.net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()

    def evaluate(self):
        x, y = self.data
        with torch.no_grad():
            return {"mse": nn.functional.mse_loss(self.net(x), y).item()}


def main():
    torch.manual_seed(0)
    x = torch.randn(64, 5)
    y = x.sum(1, keepdim=True)
    net = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1))
    runner = Runner(net=net, lr=0.05, data=(x, y))
    first = runner.train()
    print("train loss", round(first, 4))
    print("eval", runner.evaluate())


if __name__ == "__main__":
    main()
