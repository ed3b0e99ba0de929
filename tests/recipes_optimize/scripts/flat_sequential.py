"""A flat script: nn.Sequential trained full-batch, evaluated inline after training."""
import torch
from torch import nn

torch.manual_seed(0)
X = torch.randn(300, 10)
y = (X[:, :3].sum(dim=1) > 0).long()
X_train, y_train, X_test, y_test = X[:240], y[:240], X[240:], y[240:]

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(30):
    optimizer.zero_grad()
    loss = loss_fn(model(X_train), y_train)
    loss.backward()
    optimizer.step()

model.eval()
with torch.no_grad():
    preds = model(X_test).argmax(dim=1)
accuracy = (preds == y_test).float().mean().item()
print(f"Test accuracy: {accuracy:.4f}")
