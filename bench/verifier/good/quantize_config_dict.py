"""Torch training driven by a config dict, with a metrics helper."""
import torch
from torch import nn

CONFIG = {"lr": 0.02, "epochs": 6, "hidden": 20, "weight_decay": 0.0001}


def metrics_of(model, X, y):
    with torch.no_grad():
        logits = model(X)
        return {
            "loss": nn.functional.cross_entropy(logits, y).item(),
            "accuracy": (logits.argmax(1) == y).float().mean().item(),
        }


torch.manual_seed(7)
X = torch.randn(240, 7)
y = (X[:, :2].sum(1) > 0).long()
model = nn.Sequential(nn.Linear(7, CONFIG["hidden"]), nn.ReLU(), nn.Linear(CONFIG["hidden"], 2))
optimizer = torch.optim.Adam(model.parameters(), lr=CONFIG["lr"], weight_decay=CONFIG["weight_decay"])
for epoch in range(CONFIG["epochs"]):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(X[:200]), y[:200])
    loss.backward()
    optimizer.step()
results = metrics_of(model, X[200:], y[200:])
print(f"loss: {results['loss']:.4f}")
print(f"accuracy: {results['accuracy']:.3f}")
model_int8 = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
quantized_results = metrics_of(model_int8, X[200:], y[200:])
print(f"int8 loss: {quantized_results['loss']:.4f}")
print(f"int8 accuracy: {quantized_results['accuracy']:.3f}")
