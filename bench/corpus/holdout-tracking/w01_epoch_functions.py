"""train_one_epoch() and validate() helpers called from a main loop."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

N_EPOCHS = 4
LR = 0.01
HIDDEN = 20


def train_one_epoch(model, loader, optimizer, loss_fn):
    model.train()
    running = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        running += loss.item() * len(xb)
    return running / len(loader.dataset)


def validate(model, loader):
    model.eval()
    hits = 0
    with torch.no_grad():
        for xb, yb in loader:
            hits += (model(xb).argmax(1) == yb).sum().item()
    return hits / len(loader.dataset)


def main():
    torch.manual_seed(7)
    x = torch.randn(500, 6)
    y = (x[:, 0] > 0).long()
    train_loader = DataLoader(TensorDataset(x[:400], y[:400]), batch_size=50, shuffle=True)
    val_loader = DataLoader(TensorDataset(x[400:], y[400:]), batch_size=50)
    model = nn.Sequential(nn.Linear(6, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(N_EPOCHS):
        train_loss = train_one_epoch(model, train_loader, optimizer, loss_fn)
        val_acc = validate(model, val_loader)
        print(f"epoch {epoch}: train_loss={train_loss:.4f} val_acc={val_acc:.3f}")


if __name__ == "__main__":
    main()
