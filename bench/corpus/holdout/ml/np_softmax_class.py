"""numpy-only softmax regression in a small class; fit() takes the learning rate and the epochs."""
import numpy as np
from sklearn.datasets import load_iris


class SoftmaxRegression:
    def __init__(self, n_features, n_classes, reg=1e-3):
        self.W = np.zeros((n_features, n_classes))
        self.reg = reg

    def probs(self, X):
        z = X @ self.W
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def fit(self, X, y, lr=0.1, epochs=200):
        onehot = np.eye(self.W.shape[1])[y]
        for _ in range(epochs):
            grad = X.T @ (self.probs(X) - onehot) / len(X) + self.reg * self.W
            self.W -= lr * grad
        return self


X, y = load_iris(return_X_y=True)
X = (X - X.mean(0)) / X.std(0)
rng = np.random.default_rng(4)
order = rng.permutation(len(X))
train, test = order[:110], order[110:]
clf = SoftmaxRegression(4, 3, reg=1e-3).fit(X[train], y[train], lr=0.1, epochs=200)
test_accuracy = float((clf.probs(X[test]).argmax(1) == y[test]).mean())
print(f"test accuracy {test_accuracy:.3f}")
