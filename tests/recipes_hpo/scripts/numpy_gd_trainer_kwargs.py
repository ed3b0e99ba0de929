"""numpy-only ridge-penalised linear regression by gradient descent; the call passes the settings."""
import numpy as np


def train(X, y, lr=0.1, epochs=50, l2=0.0):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        grad = X.T @ (X @ w - y) / len(y) + l2 * w
        w -= lr * grad
    return w


rng = np.random.default_rng(3)
X = rng.normal(size=(300, 5))
y = X @ np.array([1.0, -0.5, 0.0, 2.0, 0.3]) + 0.1 * rng.normal(size=300)
w = train(X[:250], y[:250], lr=0.05, epochs=80, l2=0.01)
val_error = float(np.mean((X[250:] @ w - y[250:]) ** 2))
print(f"validation error: {val_error:.4f}")
