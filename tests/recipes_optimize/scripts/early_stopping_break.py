"""Early stopping: the epoch loop evaluates, and an if-block breaks out of it."""
import torch
from torch import nn

torch.manual_seed(8)
X = torch.randn(200, 5)
y = (X[:, 0] * X[:, 2] > 0).long()
model = nn.Sequential(nn.Linear(5, 20), nn.ReLU(), nn.Linear(20, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
best, bad = float("inf"), 0
for epoch in range(30):
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(X[:160]), y[:160]).backward()
    optimizer.step()
    with torch.no_grad():
        val_loss = nn.functional.cross_entropy(model(X[160:]), y[160:]).item()
    if val_loss < best:
        best, bad = val_loss, 0
    else:
        bad += 1
        if bad >= 3:
            print(f"early stop at epoch {epoch}")
            break
print(f"val_loss {val_loss:.4f}")
