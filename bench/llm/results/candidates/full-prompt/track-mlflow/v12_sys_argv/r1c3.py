"""Epochs and learning rate read from sys.argv with defaults."""
import sys

import mlflow

import numpy as np

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 40
LR = float(sys.argv[2]) if len(sys.argv) > 2 else 0.1

rng = np.random.default_rng(4)
X = rng.normal(size=(150, 2))
y = (X[:, 0] > X[:, 1]).astype(float)

w = np.zeros(2)
for epoch in range(EPOCHS):
    p = 1 / (1 + np.exp(-(X @ w)))
    with mlflow.start_run():
        mlflow.log_params({"EPOCHS": EPOCHS, "LR": LR})
        w -= LR * X.T @ (p - y) / len(y)
with mlflow.start_run():  # Added to ensure accuracy is logged
    mlflow.log_metric("accuracy", float(np.mean((X @ w > 0) == y)), step=epoch + 1)
with mlflow.start_run():
    mlflow.log_params({"EPOCHS": EPOCHS, "LR": LR})
    accuracy = float(np.mean((X @ w > 0) == y))
    mlflow.log_metric("accuracy", accuracy, step=EPOCHS + 1)
print(f"accuracy {accuracy:.3f}")
