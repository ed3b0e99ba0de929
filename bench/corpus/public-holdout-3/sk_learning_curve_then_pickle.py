"""Learning curve of an RBF SVC on the digits, then the final fit pickled.

The helpers are defined after the code that calls them through main(); the learning curve
prints train and validation scores for growing training sizes.
"""
import pickle

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import ShuffleSplit, learning_curve, train_test_split
from sklearn.svm import SVC

GAMMA = 0.001
C = 10.0
TRAIN_SIZES = np.linspace(0.1, 1.0, 5)


def main():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    estimator = SVC(gamma=GAMMA, C=C)
    curve = compute_curve(estimator, X_train, y_train)
    print_curve(curve)
    estimator.fit(X_train, y_train)
    test_accuracy = estimator.score(X_test, y_test)
    print(f"support vectors: {estimator.n_support_.sum()}")
    print(f"test accuracy: {test_accuracy:.4f}")
    with open("svc_digits.pkl", "wb") as fh:
        pickle.dump(estimator, fh)


def compute_curve(estimator, X, y):
    cv = ShuffleSplit(n_splits=5, test_size=0.2, random_state=0)
    sizes, train_scores, valid_scores = learning_curve(
        estimator, X, y, cv=cv, n_jobs=1, train_sizes=TRAIN_SIZES, scoring="accuracy")
    return {
        "sizes": sizes,
        "train_mean": train_scores.mean(axis=1),
        "valid_mean": valid_scores.mean(axis=1),
        "valid_std": valid_scores.std(axis=1),
    }


def print_curve(curve):
    print("train_size  train_acc  valid_acc (+/- std)")
    for size, tr, va, sd in zip(curve["sizes"], curve["train_mean"], curve["valid_mean"], curve["valid_std"]):
        print(f"{size:10d}  {tr:9.4f}  {va:9.4f} (+/- {sd:.4f})")


main()
