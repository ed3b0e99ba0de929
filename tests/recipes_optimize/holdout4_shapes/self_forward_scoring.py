"""A regressor whose own `score` method calls `self.forward` directly (no module hooks run)."""
import torch
import torch.nn as nn


class Scorer(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(5, 24), nn.ReLU(), nn.Linear(24, 1))

    def forward(self, x):
        return self.body(x)

    def score(self, x, y):
        return float(((self.forward(x) - y) ** 2).mean())


def evaluate(net, x, y):
    net.eval()
    with torch.no_grad():
        return net.score(x, y)


torch.manual_seed(3)
features = torch.randn(240, 5)
targets = features @ torch.tensor([[0.5], [-1.0], [2.0], [0.0], [1.5]])
net = Scorer()
opt = torch.optim.SGD(net.parameters(), lr=0.05)
for step in range(40):
    opt.zero_grad()
    loss = ((net(features[:200]) - targets[:200]) ** 2).mean()
    loss.backward()
    opt.step()
held_mse = evaluate(net, features[200:], targets[200:])
print(f"held_mse={held_mse:.4f}")
