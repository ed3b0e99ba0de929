"""Torch linear regression saved with torch.save."""
import mlflow
import mlflow.pytorch
import torch
from torch import nn

torch.manual_seed(3)
LEARNING_RATE = 0.05
EPOCHS = 30

X = torch.randn(200, 4)
y = X @ torch.tensor([[2.0], [-1.0], [0.5], [3.0]]) + 0.1 * torch.randn(200, 1)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
for epoch in range(EPOCHS):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(X[:160]), y[:160])
    loss.backward()
    optimizer.step()
with torch.no_grad():
    test_mse = nn.functional.mse_loss(model(X[160:]), y[160:]).item()
print(f"test_mse: {test_mse:.4f}")
torch.save(model.state_dict(), "linear.pt")
with mlflow.start_run():
    mlflow.pytorch.log_model(model, name="model", registered_model_name="linear-regression",
                             serialization_format="pickle", pip_requirements=["torch"])
