"""train_one_epoch() and a @torch.no_grad() validate() per epoch; main() takes keyword defaults."""
import torch
from torch import nn
from sklearn.datasets import load_breast_cancer


def train_one_epoch(model, optimizer, X, y, batch_size):
    model.train()
    total = 0.0
    for i in range(0, len(X), batch_size):
        optimizer.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(X[i:i + batch_size]).squeeze(1), y[i:i + batch_size])
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total


@torch.no_grad()
def validate(model, X, y):
    model.eval()
    logits = model(X).squeeze(1)
    loss = nn.functional.binary_cross_entropy_with_logits(logits, y).item()
    acc = ((logits > 0).float() == y).float().mean().item()
    return loss, acc


def main(lr=0.01, epochs=12, batch_size=32, hidden=16, dropout=0.2):
    torch.manual_seed(1)
    X, y = load_breast_cancer(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y, dtype=torch.float32)
    X_train, y_train, X_val, y_val = X[:450], y[:450], X[450:], y[450:]
    model = nn.Sequential(nn.Linear(30, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    for epoch in range(epochs):
        train_one_epoch(model, optimizer, X_train, y_train, batch_size)
        val_loss, val_acc = validate(model, X_val, y_val)
    print(f"final val_loss {val_loss:.4f} val_acc {val_acc:.3f}")


if __name__ == "__main__":
    main()
