"""Fit y = 2x + 1 with one nn.Linear named fc; report the learned weight and the test error."""
import torch
from torch import nn

torch.manual_seed(3)
x = torch.rand(200, 1)
y = 2 * x + 1 + 0.05 * torch.randn(200, 1)
fc = nn.Linear(1, 1)
optimizer = torch.optim.SGD(fc.parameters(), lr=0.5)
for step in range(200):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(fc(x[:150]), y[:150])
    loss.backward()
    optimizer.step()
test_mse = nn.functional.mse_loss(fc(x[150:]), y[150:]).item()
print(f"weight {fc.weight.item():.3f} bias {fc.bias.item():.3f}")
print(f"test mse {test_mse:.5f}")
