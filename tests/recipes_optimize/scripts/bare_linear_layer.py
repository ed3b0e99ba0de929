"""The whole model is one nn.Linear layer (linear regression trained with SGD)."""
import torch
from torch import nn

torch.manual_seed(9)
X = torch.randn(240, 10)
y = X @ torch.linspace(-1.0, 1.0, 10).unsqueeze(1) + 0.3 + 0.1 * torch.randn(240, 1)
model = nn.Linear(10, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(60):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(X[:200]), y[:200])
    loss.backward()
    optimizer.step()
with torch.no_grad():
    test_mse = nn.functional.mse_loss(model(X[200:]), y[200:]).item()
print(f"test mse {test_mse:.4f}")
