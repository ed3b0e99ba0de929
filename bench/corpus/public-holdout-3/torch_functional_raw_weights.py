"""Logistic regression written with raw tensors: no nn.Module, no optimizer.

The weights are plain tensors with requires_grad, the model is a function, and the update
happens by hand inside torch.no_grad(), as in the first part of the "What is torch.nn really?"
tutorial. Breast-cancer features, standardised.
"""
import math

import torch
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0)

data = load_breast_cancer()
x_train, x_valid, y_train, y_valid = train_test_split(
    data.data, data.target, test_size=0.25, random_state=0, stratify=data.target)
scaler = StandardScaler().fit(x_train)
x_train, x_valid = map(lambda a: torch.tensor(a, dtype=torch.float32),
                       (scaler.transform(x_train), scaler.transform(x_valid)))
y_train, y_valid = map(lambda a: torch.tensor(a, dtype=torch.long), (y_train, y_valid))
n, c = x_train.shape
print(f"train {n} x {c}, valid {len(x_valid)}")

weights = torch.randn(c, 2) / math.sqrt(c)
weights.requires_grad_()
bias = torch.zeros(2, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


loss_func = nll
lr = 0.05
epochs = 12
bs = 32

for epoch in range(epochs):
    perm = torch.randperm(n)
    for i in range((n - 1) // bs + 1):
        idx = perm[i * bs: i * bs + bs]
        xb, yb = x_train[idx], y_train[idx]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()

    with torch.no_grad():
        valid_out = model(x_valid)
        print(f"epoch {epoch}: train loss {loss_func(model(x_train), y_train).item():.4f} "
              f"valid loss {loss_func(valid_out, y_valid).item():.4f} "
              f"valid acc {accuracy(valid_out, y_valid).item():.4f}")

with torch.no_grad():
    final_acc = accuracy(model(x_valid), y_valid).item()
print(f"final validation accuracy: {final_acc:.4f}")
torch.save({"weights": weights.detach(), "bias": bias.detach()}, "logreg_weights.pt")
