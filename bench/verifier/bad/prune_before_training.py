"""Torch linear regression saved with torch.save."""
import torch
from torch import nn
from torch.nn.utils import prune

torch.manual_seed(3)
LEARNING_RATE = 0.05
EPOCHS = 30

X = torch.randn(200, 4)
y = X @ torch.tensor([[2.0], [-1.0], [0.5], [3.0]]) + 0.1 * torch.randn(200, 1)
model = nn.Linear(4, 1)
prune.l1_unstructured(model, name="weight", amount=0.25)
prune.remove(model, "weight")
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
for epoch in range(EPOCHS):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(X[:160]), y[:160])
    loss.backward()
    optimizer.step()
with torch.no_grad():
    test_mse = nn.functional.mse_loss(model(X[160:]), y[160:]).item()
print(f"test_mse: {test_mse:.4f}")
with torch.no_grad():
    pruned_test_mse = nn.functional.mse_loss(model(X[160:]), y[160:]).item()
print(f"test_mse after pruning: {pruned_test_mse:.4f}")
torch.save(model.state_dict(), "linear.pt")
