"""A numpy perceptron class with fit() over epochs (errors per epoch) on two separable blobs."""
import numpy as np


class Perceptron:
    """Rosenblatt perceptron: eta is the learning rate, n_iter the number of passes."""

    def __init__(self, eta=0.01, n_iter=15, random_state=1):
        self.eta = eta
        self.n_iter = n_iter
        self.random_state = random_state

    def fit(self, X, y):
        rgen = np.random.RandomState(self.random_state)
        self.w_ = rgen.normal(loc=0.0, scale=0.01, size=X.shape[1])
        self.b_ = 0.0
        self.errors_ = []
        for epoch in range(self.n_iter):
            errors = 0
            for xi, target in zip(X, y):
                update = self.eta * (target - self.predict(xi))
                self.w_ += update * xi
                self.b_ += update
                errors += int(update != 0.0)
            self.errors_.append(errors)
            print(f"epoch {epoch + 1}: {errors} misclassified")
        return self

    def net_input(self, X):
        return np.dot(X, self.w_) + self.b_

    def predict(self, X):
        return np.where(self.net_input(X) >= 0.0, 1, 0)


if __name__ == "__main__":
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal([-1.5, -1.0], 0.7, (100, 2)), rng.normal([1.5, 1.0], 0.7, (100, 2))])
    y = np.array([0] * 100 + [1] * 100)
    order = rng.permutation(len(X))
    X, y = X[order], y[order]
    ppn = Perceptron(eta=0.1, n_iter=10)
    ppn.fit(X[:150], y[:150])
    accuracy = (ppn.predict(X[150:]) == y[150:]).mean()
    print(f"test accuracy: {accuracy:.3f}")
