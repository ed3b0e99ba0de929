"""The held-out count is accumulated after the training loop, over a comprehension with `_` (the
char-RNN tutorial's shape): `_` and the per-item guess are not results to compare."""
import torch
from torch import nn

torch.manual_seed(6)
X = torch.randn(160, 4)
y = (X[:, 0] > 0).long()


class RNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.i2h = nn.Linear(4, 12)
        self.h2o = nn.Linear(12, 2)

    def forward(self, x, hidden):
        hidden = torch.tanh(self.i2h(x) + hidden)
        return self.h2o(hidden), hidden

    def init_hidden(self, n):
        return torch.zeros(n, 12)


rnn = RNN()
optimizer = torch.optim.SGD(rnn.parameters(), lr=0.2)


def train(epoch):
    optimizer.zero_grad()
    output, _ = rnn(X[:120], rnn.init_hidden(120))
    loss = nn.functional.cross_entropy(output, y[:120])
    loss.backward()
    optimizer.step()


for epoch in range(1, 16):
    train(epoch)
with torch.no_grad():
    hits = 0
    for i in [j for _ in range(1) for j in range(120, 160)]:
        guess, _ = rnn(X[i:i + 1], rnn.init_hidden(1))
        hits += int(guess.argmax(1).item() == y[i].item())
print("held-out hits:", hits)
print("held-out accuracy: %.3f" % (hits / 40))
