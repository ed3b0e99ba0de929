"""Flat torch script: an MLP on synthetic data with a per-epoch loop."""
import torch
from torch import nn
from torch.ao.quantization import quantize_dynamic

torch.manual_seed(0)
LEARNING_RATE = 0.05
EPOCHS = 8
HIDDEN = 16

X = torch.randn(256, 10)
y = (X[:, 0] + X[:, 1] > 0).long()
X_train, y_train, X_test, y_test = X[:200], y[:200], X[200:], y[200:]

model = nn.Sequential(nn.Linear(10, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    optimizer.zero_grad()
    loss = loss_fn(model(X_train), y_train)
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")

with torch.no_grad():
    accuracy = (model(X_test).argmax(dim=1) == y_test).float().mean().item()
print(f"test accuracy: {accuracy:.3f}")

quantized_model = quantize_dynamic(model, layers={nn.Linear}, dtype=torch.qint8)
with torch.no_grad():
    quantized_accuracy = (quantized_model(X_test).argmax(dim=1) == y_test).float().mean().item()
print(f"quantized test accuracy: {quantized_accuracy:.3f}")
