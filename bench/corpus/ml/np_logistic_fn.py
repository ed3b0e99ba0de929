"""numpy-only: logistic regression with functions and an L2 penalty."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train(X, y, lr=0.5, epochs=100, l2=0.01):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        p = sigmoid(X @ w)
        w -= lr * (X.T @ (p - y) / len(y) + l2 * w)
    return w


def main():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] - X[:, 2] > 0).astype(float)
    w = train(X[:240], y[:240], lr=0.5, epochs=100, l2=0.01)
    accuracy = float(np.mean((sigmoid(X[240:] @ w) > 0.5) == y[240:]))
    print(f"accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
