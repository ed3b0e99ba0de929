"""Two-layer fully connected net in plain numpy, cs231n assignment style: a `TwoLayerNet` keeping `self.params`
(W1, b1, W2, b2), `loss(X, y=None, reg=0.0)` returning `(loss, grads)` with a hand-written backward pass,
`train(...)` doing SGD with momentum-free updates, `learning_rate_decay` per epoch and a `stats` dict of
loss/train-acc/val-acc histories, `predict(X)`; a small grid over hidden size x learning rate x reg picks the best
net on validation accuracy (`best_net`), which is tested and saved with `np.savez`."""
import itertools

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


class TwoLayerNet(object):
    def __init__(self, input_size, hidden_size, output_size, std=1e-2, seed=0):
        rng = np.random.RandomState(seed)
        self.params = {}
        self.params["W1"] = std * rng.randn(input_size, hidden_size)
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = std * rng.randn(hidden_size, output_size)
        self.params["b2"] = np.zeros(output_size)
        self.rng = rng

    def loss(self, X, y=None, reg=0.0):
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        N, D = X.shape

        # forward pass
        h_pre = X.dot(W1) + b1
        h = np.maximum(0, h_pre)
        scores = h.dot(W2) + b2
        if y is None:
            return scores

        shifted = scores - scores.max(axis=1, keepdims=True)
        exp_scores = np.exp(shifted)
        probs = exp_scores / exp_scores.sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(N), y]).mean()
        loss += reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        # backward pass
        grads = {}
        dscores = probs
        dscores[np.arange(N), y] -= 1
        dscores /= N
        grads["W2"] = h.T.dot(dscores) + 2 * reg * W2
        grads["b2"] = dscores.sum(axis=0)
        dh = dscores.dot(W2.T)
        dh[h_pre <= 0] = 0
        grads["W1"] = X.T.dot(dh) + 2 * reg * W1
        grads["b1"] = dh.sum(axis=0)
        return loss, grads

    def train(self, X, y, X_val, y_val, learning_rate=1e-3, learning_rate_decay=0.95, reg=5e-6, num_iters=100,
              batch_size=200, verbose=False):
        num_train = X.shape[0]
        iterations_per_epoch = max(num_train // batch_size, 1)
        loss_history, train_acc_history, val_acc_history = [], [], []
        for it in range(num_iters):
            idx = self.rng.choice(num_train, batch_size, replace=True)
            X_batch, y_batch = X[idx], y[idx]
            loss, grads = self.loss(X_batch, y=y_batch, reg=reg)
            loss_history.append(loss)
            for name in self.params:
                self.params[name] -= learning_rate * grads[name]
            if verbose and it % 100 == 0:
                print(f"iteration {it} / {num_iters}: loss {loss:f}")
            if it % iterations_per_epoch == 0:
                train_acc_history.append((self.predict(X_batch) == y_batch).mean())
                val_acc_history.append((self.predict(X_val) == y_val).mean())
                learning_rate *= learning_rate_decay
        return {"loss_history": loss_history, "train_acc_history": train_acc_history, "val_acc_history": val_acc_history}

    def predict(self, X):
        return np.argmax(self.loss(X), axis=1)


digits = load_digits()
X = digits.data.astype(np.float64) / 16.0
y = digits.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=0, stratify=y_train)
mean_image = X_train.mean(axis=0)
X_train, X_val, X_test = X_train - mean_image, X_val - mean_image, X_test - mean_image

input_size, num_classes = X_train.shape[1], 10
net = TwoLayerNet(input_size, 50, num_classes)
stats = net.train(X_train, y_train, X_val, y_val, num_iters=600, batch_size=100, learning_rate=1e-1,
                  learning_rate_decay=0.95, reg=1e-4, verbose=True)
print("Validation accuracy (default settings): ", (net.predict(X_val) == y_val).mean())

best_net, best_val, results = None, -1, {}
hidden_sizes = [32, 64]
learning_rates = [5e-2, 2e-1]
regs = [1e-4, 1e-2]
for hs, lr, reg in itertools.product(hidden_sizes, learning_rates, regs):
    candidate = TwoLayerNet(input_size, hs, num_classes, seed=1)
    candidate.train(X_train, y_train, X_val, y_val, num_iters=600, batch_size=100, learning_rate=lr,
                    learning_rate_decay=0.95, reg=reg)
    val_acc = (candidate.predict(X_val) == y_val).mean()
    results[(hs, lr, reg)] = val_acc
    if val_acc > best_val:
        best_val, best_net = val_acc, candidate

for (hs, lr, reg), val_acc in sorted(results.items()):
    print(f"hidden {hs} lr {lr:.0e} reg {reg:.0e} val accuracy: {val_acc:.4f}")
print(f"best validation accuracy achieved during cross-validation: {best_val:.4f}")
print(f"Test accuracy: {(best_net.predict(X_test) == y_test).mean():.4f}")
np.savez("best_two_layer_net.npz", mean_image=mean_image, **best_net.params)
