"""Torch training with validation-based early stopping."""
import torch
from torch import nn

torch.manual_seed(5)
LR = 0.05
MAX_EPOCHS = 20
PATIENCE = 2

X = torch.randn(300, 6)
y = (X[:, 0] * X[:, 1] > 0).long()
X_train, y_train, X_val, y_val = X[:240], y[:240], X[240:], y[240:]
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
loss_fn = nn.CrossEntropyLoss()
best_val, bad_epochs = float("inf"), 0
for epoch in range(MAX_EPOCHS):
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model(X_train), y_train)
    loss.backward()
    optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = loss_fn(model(X_val), y_val).item()
    print(f"epoch {epoch} val_loss {val_loss:.4f}")
    if val_loss < best_val - 1e-4:
        best_val, bad_epochs = val_loss, 0
    else:
        bad_epochs += 1
        if bad_epochs >= PATIENCE:
            print(f"stopping at epoch {epoch}")
            break
print(f"best val_loss {best_val:.4f}")
