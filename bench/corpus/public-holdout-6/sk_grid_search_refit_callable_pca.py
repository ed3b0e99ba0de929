"""Balance model complexity and CV score: `GridSearchCV(refit=best_low_complexity)` over PCA sizes of a
PCA + LinearSVC pipeline, where the refit callable picks the fewest components whose mean CV accuracy lies within
one standard deviation of the best (`lower_bound(cv_results)`); the plain best-score choice is reported next to it,
test accuracy for both, the chosen pipeline pickled."""
import pickle

import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC


def lower_bound(cv_results):
    """Lower bound within 1 standard deviation of the best `mean_test_score`."""
    best_score_idx = np.argmax(cv_results["mean_test_score"])
    return cv_results["mean_test_score"][best_score_idx] - cv_results["std_test_score"][best_score_idx]


def best_low_complexity(cv_results):
    """Index of the model with the fewest PCA components whose score is above the lower bound."""
    threshold = lower_bound(cv_results)
    candidate_idx = np.flatnonzero(cv_results["mean_test_score"] >= threshold)
    n_components = cv_results["param_reduce_dim__n_components"][candidate_idx]
    return candidate_idx[np.asarray(n_components).argmin()]


X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)

pipe = Pipeline([
    ("scale", StandardScaler()),
    ("reduce_dim", PCA(random_state=42)),
    ("classify", LinearSVC(random_state=42, C=0.01, max_iter=5000)),
])
param_grid = {"reduce_dim__n_components": [6, 10, 16, 24, 32, 40, 48, 56]}

grid = GridSearchCV(pipe, cv=5, n_jobs=1, param_grid=param_grid, scoring="accuracy", refit=best_low_complexity)
grid.fit(X_train, y_train)

results = pd.DataFrame(grid.cv_results_)[["param_reduce_dim__n_components", "mean_test_score", "std_test_score"]]
print(results.to_string(index=False))
best_by_score = int(np.argmax(grid.cv_results_["mean_test_score"]))
print(f"lower bound (best - 1 std): {lower_bound(grid.cv_results_):.4f}")
print(f"best by score: n_components={param_grid['reduce_dim__n_components'][best_by_score]}")
print(f"chosen by refit callable: index {grid.best_index_}, n_components={grid.best_params_['reduce_dim__n_components']}")

simple_test = grid.score(X_test, y_test)
full = pipe.set_params(reduce_dim__n_components=param_grid["reduce_dim__n_components"][best_by_score]).fit(X_train, y_train)
print(f"test accuracy: chosen {simple_test:.4f}, best-score model {full.score(X_test, y_test):.4f}")

with open("pca_svc_low_complexity.pkl", "wb") as fh:
    pickle.dump(grid.best_estimator_, fh)
