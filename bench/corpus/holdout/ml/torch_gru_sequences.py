"""A GRU classifies whether a synthetic sequence trends up or down; a main() with a nested train loop."""
import torch
from torch import nn


class SeqClassifier(nn.Module):
    def __init__(self, hidden_size=16, num_layers=1):
        super().__init__()
        self.rnn = nn.GRU(1, hidden_size, num_layers=num_layers, batch_first=True)
        self.out = nn.Linear(hidden_size, 2)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.out(h[-1])


def make_data(n, length=15, seed=0):
    g = torch.Generator().manual_seed(seed)
    slope = torch.randn(n, 1, generator=g)
    t = torch.linspace(0, 1, length).unsqueeze(0)
    x = slope * t + 0.3 * torch.randn(n, length, generator=g)
    return x.unsqueeze(-1), (slope.squeeze(1) > 0).long()


def main():
    torch.manual_seed(0)
    lr = 0.01
    epochs = 15
    hidden_size = 16
    x_train, y_train = make_data(256, seed=1)
    x_test, y_test = make_data(128, seed=2)
    model = SeqClassifier(hidden_size=hidden_size)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=lr)
    for epoch in range(epochs):
        for i in range(0, 256, 64):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x_train[i:i + 64]), y_train[i:i + 64])
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(f"test accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
