"""The script's own `class RNN`, trained by train() on the global model inside `if __name__`, where
test(epoch), which ignores its epoch, is the only evaluation."""
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


def test(epoch):
    with torch.no_grad():
        output, _ = rnn(X[120:], rnn.init_hidden(40))
    print("test accuracy: {:.3f}".format((output.argmax(1) == y[120:]).float().mean().item()))  # noqa: UP032 (the VAE example's shape)


if __name__ == "__main__":
    for epoch in range(1, 16):
        train(epoch)
        test(epoch)
