"""A regression whose evaluate() reads the global model; the loss is reported after training."""
import torch
from torch import nn

torch.manual_seed(4)
X = torch.randn(256, 3)
y = (2 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2]).unsqueeze(1)
X_val, y_val = X[200:], y[200:]

model = nn.Sequential(nn.Linear(3, 12), nn.ReLU(), nn.Linear(12, 1))
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)


def evaluate():
    with torch.no_grad():
        return loss_fn(model(X_val), y_val).item()


for step in range(60):
    optimizer.zero_grad()
    loss = loss_fn(model(X[:200]), y[:200])
    loss.backward()
    optimizer.step()

val_loss = evaluate()
print("final validation loss: %.5f" % val_loss)  # noqa: UP031
