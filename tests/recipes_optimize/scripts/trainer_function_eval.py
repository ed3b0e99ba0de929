"""The model is trained by train(model, loaders, epochs), which evaluates it inside its epoch loop."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        hits = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in loader)
    return hits / len(loader.dataset)


def train(model, train_loader, val_loader, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_loader:
            opt.zero_grad()
            nn.functional.cross_entropy(model(xb), yb).backward()
            opt.step()
        val_acc = evaluate(model, val_loader)
        print(f"epoch {epoch}: val_acc {val_acc:.3f}")


def main():
    torch.manual_seed(0)
    X = torch.randn(300, 6)
    y = (X[:, 0] + X[:, 1] > 0).long()
    train_loader = DataLoader(TensorDataset(X[:240], y[:240]), batch_size=32, shuffle=True)
    val_loader = DataLoader(TensorDataset(X[240:], y[240:]), batch_size=60)
    net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
    train(net, train_loader, val_loader, epochs=3)


if __name__ == "__main__":
    main()
