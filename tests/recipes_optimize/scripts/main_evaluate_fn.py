"""main() with a DataLoader, an evaluate() helper and a saved checkpoint."""
import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class MLP(nn.Module):
    def __init__(self, n_in, hidden, n_out):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_in, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                                 nn.Linear(hidden, n_out))

    def forward(self, x):
        return self.net(x)


def evaluate(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).float().mean().item()


def main():
    torch.manual_seed(1)
    X = torch.randn(400, 6)
    y = ((X[:, 0] * X[:, 1]) > 0).long()
    loader = DataLoader(TensorDataset(X[:320], y[:320]), batch_size=32, shuffle=True)
    model = MLP(6, 24, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(8):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            criterion(model(xb), yb).backward()
            optimizer.step()
    acc = evaluate(model, X[320:], y[320:])
    print(f"validation accuracy = {acc:.3f}")
    path = os.path.join(tempfile.mkdtemp(), "mlp.pt")
    torch.save(model.state_dict(), path)
    print("checkpoint saved")


if __name__ == "__main__":
    main()
