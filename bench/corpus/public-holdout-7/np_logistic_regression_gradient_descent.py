"""Logistic regression by mini-batch gradient descent in plain numpy, in the shape of the from-scratch ML repos
(`class LogisticRegression` with `fit(X, y)`/`predict_proba`/`predict`, `_sigmoid`, `_loss` with L2 penalty,
`learning_rate`, `n_iters`, `batch_size`, `l2`, `tol` as constructor defaults, a `history` list of losses), run on a
standardised breast-cancer split; a tiny grid over learning rate and l2 chosen on validation log-loss, early stop
when the loss change is below `tol`, weights saved with `np.save`-like `np.savez`, test accuracy/log-loss and a
comparison with scikit-learn's `LogisticRegression`."""
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.model_selection import train_test_split


class LogisticRegression:
    def __init__(self, learning_rate=0.1, n_iters=300, batch_size=64, l2=1e-3, tol=1e-6, seed=0, verbose=False):
        self.learning_rate = learning_rate
        self.n_iters = n_iters
        self.batch_size = batch_size
        self.l2 = l2
        self.tol = tol
        self.seed = seed
        self.verbose = verbose
        self.weights = None
        self.bias = None
        self.history = []

    @staticmethod
    def _sigmoid(z):
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def _loss(self, X, y):
        p = self._sigmoid(X @ self.weights + self.bias)
        eps = 1e-12
        return float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
                     + 0.5 * self.l2 * np.sum(self.weights ** 2))

    def fit(self, X, y):
        rng = np.random.RandomState(self.seed)
        n_samples, n_features = X.shape
        self.weights = np.zeros(n_features)
        self.bias = 0.0
        self.history = []
        prev = np.inf
        for epoch in range(self.n_iters):
            order = rng.permutation(n_samples)
            for start in range(0, n_samples, self.batch_size):
                idx = order[start:start + self.batch_size]
                xb, yb = X[idx], y[idx]
                err = self._sigmoid(xb @ self.weights + self.bias) - yb
                dw = xb.T @ err / len(idx) + self.l2 * self.weights
                db = err.mean()
                self.weights -= self.learning_rate * dw
                self.bias -= self.learning_rate * db
            loss = self._loss(X, y)
            self.history.append(loss)
            if self.verbose and epoch % 50 == 0:
                print(f"  epoch {epoch:3d} loss {loss:.5f}")
            if abs(prev - loss) < self.tol:
                break
            prev = loss
        return self

    def predict_proba(self, X):
        return self._sigmoid(X @ self.weights + self.bias)

    def predict(self, X, threshold=0.5):
        return (self.predict_proba(X) >= threshold).astype(int)


def log_loss(y, p):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


if __name__ == "__main__":
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=4, stratify=y)
    X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=4,
                                                      stratify=y_train)
    mu, sigma = X_train.mean(axis=0), X_train.std(axis=0)
    X_train, X_val, X_test = [(a - mu) / sigma for a in (X_train, X_val, X_test)]

    best = None
    for lr in [0.01, 0.05, 0.2]:
        for l2 in [0.0, 1e-3, 1e-2]:
            clf = LogisticRegression(learning_rate=lr, l2=l2).fit(X_train, y_train)
            val_loss = log_loss(y_val, clf.predict_proba(X_val))
            val_acc = float((clf.predict(X_val) == y_val).mean())
            print(f"lr={lr:<5} l2={l2:<6} epochs={len(clf.history):3d} train loss {clf.history[-1]:.4f} "
                  f"val loss {val_loss:.4f} val acc {val_acc:.4f}")
            if best is None or val_loss < best[0]:
                best = (val_loss, lr, l2, clf)

    val_loss, lr, l2, clf = best
    print(f"best: lr={lr} l2={l2} val loss {val_loss:.4f}")
    test_proba = clf.predict_proba(X_test)
    print(f"test accuracy {(clf.predict(X_test) == y_test).mean():.4f} test log-loss {log_loss(y_test, test_proba):.4f}")
    np.savez("logreg_weights.npz", weights=clf.weights, bias=clf.bias, mean=mu, std=sigma)

    sk = SkLogisticRegression(C=1.0 / max(l2 * len(X_train), 1e-6), max_iter=5000).fit(X_train, y_train)
    print(f"sklearn reference test accuracy {sk.score(X_test, y_test):.4f}")
