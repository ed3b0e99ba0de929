# %% [markdown]
# MLPClassifier on the digits with a deliberately small max_iter: the ConvergenceWarning is
# silenced as in the scikit-learn MNIST-filters example, and the loss curve is printed.

# %%
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import MinMaxScaler

# %%
X, y = load_digits(return_X_y=True)
X = MinMaxScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)

# %%
mlp = MLPClassifier(
    hidden_layer_sizes=(40,),
    max_iter=30,
    alpha=1e-4,
    solver="sgd",
    learning_rate_init=0.1,
    momentum=0.9,
    batch_size=64,
    random_state=1,
)

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=ConvergenceWarning, module="sklearn")
    mlp.fit(X_train, y_train)

# %%
for i, loss in enumerate(mlp.loss_curve_):
    if i % 5 == 0 or i == len(mlp.loss_curve_) - 1:
        print(f"iteration {i + 1:2d}: loss {loss:.5f}")

print("Training set score: %f" % mlp.score(X_train, y_train))
print("Test set score: %f" % mlp.score(X_test, y_test))
print("first layer weights:", mlp.coefs_[0].shape, "mean |w| %.4f" % np.abs(mlp.coefs_[0]).mean())
