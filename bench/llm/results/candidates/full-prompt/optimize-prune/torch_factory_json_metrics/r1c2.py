"""A model factory, a train() helper and metrics printed as JSON."""
import json

import torch
from torch import nn


HIDDEN = 32
LR = 0.01
EPOCHS = 30


def make_model():
    return nn.Sequential(nn.Linear(8, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))


def train(model, X, y):
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    for _ in range(EPOCHS):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        opt.step()

# Prune the model's Linear and Conv* layers (for example prune.l1_untstructured(module, name="weight", amount=0.3)) for each such module in model.modules()
pruned_modules = [layer for layer in model.modules() if isinstance(layer, (nn.Linear, nn.Conv2d))]
for layer in pruned_modules:
    prune.l1_unstructured(layer, name="weight", amount=0.3)

# Make the pruning permanent with prune.remove(module, "weight")
for layer in pruned_modules:
    prune.remove(layer, "weight")

# Evaluate the pruned model again with the script's own evaluation code and print or logs the metric next to the original one
metrics = evaluate(model, X[250:], y[250:])
print(json.dumps({k: round(v, 3) for k, v in metrics.items()}))
