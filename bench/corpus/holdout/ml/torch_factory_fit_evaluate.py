"""A model factory, a fit() helper that returns a loss history, and evaluate() returning a tuple."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import make_classification

SETTINGS = dict(lr=0.02, hidden=32, layers=2, epochs=5, batch_size=50)


def build_model(in_dim, hidden, layers, n_out):
    blocks = []
    width = in_dim
    for _ in range(layers):
        blocks += [nn.Linear(width, hidden), nn.ReLU()]
        width = hidden
    blocks.append(nn.Linear(width, n_out))
    return nn.Sequential(*blocks)


def fit(model, loader, lr, epochs):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        history.append(total / len(loader.dataset))
    return history


def evaluate(model, X, y):
    model.eval()
    with torch.no_grad():
        logits = model(X)
    return nn.functional.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


if __name__ == "__main__":
    torch.manual_seed(8)
    X, y = make_classification(n_samples=600, n_features=10, n_informative=6, n_classes=3, random_state=8)
    X = torch.tensor(X, dtype=torch.float32)
    y = torch.tensor(y)
    train_ds = TensorDataset(X[:500], y[:500])
    loader = DataLoader(train_ds, batch_size=SETTINGS["batch_size"], shuffle=True)
    model = build_model(10, SETTINGS["hidden"], SETTINGS["layers"], 3)
    history = fit(model, loader, SETTINGS["lr"], SETTINGS["epochs"])
    val_loss, val_acc = evaluate(model, X[500:], y[500:])
    print("loss history:", [round(h, 3) for h in history])
    print(f"val_loss={val_loss:.4f} val_acc={val_acc:.3f}")
