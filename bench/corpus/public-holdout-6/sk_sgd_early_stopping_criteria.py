"""Three stopping criteria of SGDClassifier compared over max_iter, as in scikit-learn's
linear_model/plot_sgd_early_stopping.py: `estimator_dict` of "No stopping criterion" / "Training loss" /
"Validation score" (`early_stopping=True`, `validation_fraction`, `n_iter_no_change`), `fit_and_score()` under
`ignore_warnings(category=ConvergenceWarning)` returning fit time, n_iter_, train and test score, results in a
DataFrame; the stopping rule with the best mean held-out score is refit with the largest max_iter and saved."""
import sys
import time

import joblib
import numpy as np
import pandas as pd
from sklearn import linear_model
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils import shuffle
from sklearn.utils._testing import ignore_warnings


def load_data(n_samples=4000):
    X, y = make_classification(n_samples=n_samples, n_features=40, n_informative=12, n_redundant=6, class_sep=0.8,
                               flip_y=0.05, random_state=0)
    X, y = shuffle(X, y, random_state=42)
    X = StandardScaler().fit_transform(X)
    return train_test_split(X, y, test_size=0.25, random_state=0)


@ignore_warnings(category=ConvergenceWarning)
def fit_and_score(estimator, max_iter, X_train, X_test, y_train, y_test):
    """Fit the estimator on the train set and score it on both sets"""
    estimator.set_params(max_iter=max_iter)
    estimator.set_params(random_state=0)
    start = time.time()
    estimator.fit(X_train, y_train)
    fit_time = time.time() - start
    n_iter = estimator.n_iter_
    train_score = estimator.score(X_train, y_train)
    test_score = estimator.score(X_test, y_test)
    return fit_time, n_iter, train_score, test_score


estimator_dict = {
    "No stopping criterion": linear_model.SGDClassifier(n_iter_no_change=3, alpha=1e-4),
    "Training loss": linear_model.SGDClassifier(early_stopping=False, n_iter_no_change=3, tol=0.1, alpha=1e-4),
    "Validation score": linear_model.SGDClassifier(early_stopping=True, n_iter_no_change=3, tol=0.0001,
                                                   validation_fraction=0.2, alpha=1e-4),
}

X_train, X_test, y_train, y_test = load_data()
# the "test" split of the original example is used here as a validation split for choosing the rule
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=1)

results = []
for estimator_name, estimator in estimator_dict.items():
    print(estimator_name + ": ", end="")
    for max_iter in range(1, 30, 4):
        print(".", end="")
        sys.stdout.flush()
        fit_time, n_iter, train_score, val_score = fit_and_score(estimator, max_iter, X_tr, X_val, y_tr, y_val)
        results.append((estimator_name, max_iter, fit_time, n_iter, train_score, val_score))
    print("")

columns = ["Stopping criterion", "max_iter", "Fit time (sec)", "n_iter_", "Train score", "Validation score"]
results_df = pd.DataFrame(results, columns=columns).drop(columns="Fit time (sec)")
print(results_df.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
summary = results_df.groupby("Stopping criterion")[["n_iter_", "Validation score"]].mean()
print(summary)
best_rule = summary["Validation score"].idxmax()
final = estimator_dict[best_rule].set_params(max_iter=30, random_state=0)
with ignore_warnings(category=ConvergenceWarning):
    final.fit(X_train, y_train)
print(f"best rule: {best_rule}; refit n_iter_={final.n_iter_}; test accuracy {final.score(X_test, y_test):.4f}")
joblib.dump(final, "sgd_best_rule.joblib")
