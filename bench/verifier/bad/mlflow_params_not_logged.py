"""numpy-only: linear regression by gradient descent."""
import mlflow
import numpy as np

LEARNING_RATE = 0.1
EPOCHS = 50

with mlflow.start_run():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    true_w = np.array([1.5, -2.0, 0.7])
    y = X @ true_w + 0.05 * rng.normal(size=200)
    w = np.zeros(3)
    for epoch in range(EPOCHS):
        grad = 2 * X.T @ (X @ w - y) / len(y)
        w -= LEARNING_RATE * grad
    mse = float(np.mean((X @ w - y) ** 2))
    mlflow.log_metric("mse", mse)
    print(f"mse: {mse:.5f}")
