"""Fit a linear model with one nn.Linear named fc; report the learned weights and the test error."""
import torch
from torch import nn

torch.manual_seed(3)
x = torch.rand(200, 10)
y = x @ torch.linspace(-2.0, 2.0, 10).unsqueeze(1) + 1 + 0.05 * torch.randn(200, 1)
fc = nn.Linear(10, 1)
optimizer = torch.optim.SGD(fc.parameters(), lr=0.1)
for step in range(200):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(fc(x[:150]), y[:150])
    loss.backward()
    optimizer.step()
test_mse = nn.functional.mse_loss(fc(x[150:]), y[150:]).item()
print(f"weight norm {fc.weight.norm().item():.3f} bias {fc.bias.item():.3f}")
print(f"test mse {test_mse:.5f}")
