"""A torch nn.Module subclass trained with Adam, evaluated by a function."""
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(1)


class Net(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.fc1 = nn.Linear(8, hidden)
        self.fc2 = nn.Linear(hidden, 3)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def evaluate(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


def main():
    lr = 0.01
    epochs = 10
    X = torch.randn(300, 8)
    y = (X[:, :3].sum(1) > 0).long() + (X[:, 3] > 1).long()
    model = Net(hidden=32)
    model_int8 = torch.ao.quantization.quantize_dynamic(model, qconfig_spec={nn.Linear}, dtype=torch.qint8)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        model.train()
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X[:240]), y[:240])
        loss.backward()
        optimizer.step()
    val_accuracy = evaluate(model, X[240:], y[240:])
    print(f"final loss {loss.item():.4f}")
    print(f"val accuracy {val_accuracy:.3f}")
    int8_accuracy = evaluate(model_int8, X[240:], y[240:])
    print(f"int8 val accuracy {int8_accuracy:.3f}")


if __name__ == "__main__":
    main()
