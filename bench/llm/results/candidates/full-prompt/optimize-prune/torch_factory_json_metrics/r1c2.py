"""A model factory, a train() helper and metrics printed as JSON."""
import json

import torch
from torch import nn

import copy

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


def evaluate(model, X, y):
    with torch.no_grad():
        pred = model(X)
    return {"rmse": nn.functional.mse_loss(pred, y).sqrt().item(), "mean_pred": pred.mean().item()}


torch.manual_seed(1)
X = torch.randn(300, 8)
y = X[:, :2].sum(1, keepdim=True) ** 2
model = make_model()
train(model, X[:250], y[:250])
metrics = evaluate(model, X[250:], y[250:])
print(json.dumps({k: round(v, 3) for k, v in metrics.items()}))

# Prune the model and report the metric before and after
import torch.nn.utils.prune as prune

pruned_model = copy.deepcopy(model)
for module in pruned_model.modules():
    if isinstance(module, nn.Linear):
        prune.l1_structured(module, name="weight", amount=0.3)
    elif isinstance(module, nn.Conv2d):
        prune.ln_structured(module, name="weight", amount=0.3, dim=-1)  # Fixed missing argument

prune.remove(pruned_model, "weight")

metrics_pruned = evaluate(pruned_model, X[250:], y[250:])
print(json.dumps({k: round(v, 3) for k, v in metrics_pruned.items()}))
