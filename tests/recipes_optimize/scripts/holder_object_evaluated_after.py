"""A Learner object builds its network in self.net; it is trained with learn() and scored with score() afterwards."""
import torch
from torch import nn


class Learner:
    def __init__(self, hidden=20, lr=0.05):
        self.net = nn.Sequential(nn.Linear(4, hidden), nn.ReLU(), nn.Linear(hidden, 3))
        self.opt = torch.optim.Adam(self.net.parameters(), lr=lr)

    def _step(self, X, y):
        self.opt.zero_grad()
        loss = nn.functional.cross_entropy(self.net(X), y)
        loss.backward()
        self.opt.step()
        return loss.item()

    def learn(self, X, y, epochs=40):
        for _ in range(epochs):
            last = self._step(X, y)
        return last

    def score(self, X, y):
        with torch.no_grad():
            return (self.net(X).argmax(1) == y).float().mean().item()


torch.manual_seed(12)
X = torch.randn(300, 4)
y = (X[:, 0] > 0).long() + (X[:, 1] > 0.5).long()
learner = Learner()
final = learner.learn(X[:240], y[:240])
held_out = learner.score(X[240:], y[240:])
print(f"final loss {final:.3f}")
print(f"held-out accuracy {held_out:.3f}")
