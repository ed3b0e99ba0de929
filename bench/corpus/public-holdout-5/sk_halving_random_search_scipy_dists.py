"""HalvingRandomSearchCV over scipy distributions for an ExtraTrees classifier, min_resources/factor, report per iteration."""
import pickle

import numpy as np
import pandas as pd
from scipy.stats import loguniform, randint
from sklearn.datasets import load_digits
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.metrics import accuracy_score, classification_report
from sklearn.model_selection import HalvingRandomSearchCV, train_test_split

rng = np.random.RandomState(0)
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

param_dist = {
    "max_depth": [4, 8, None],
    "max_features": randint(4, 30),
    "min_samples_split": randint(2, 12),
    "min_samples_leaf": randint(1, 6),
    "criterion": ["gini", "entropy"],
    "ccp_alpha": loguniform(1e-5, 1e-2),
}
clf = ExtraTreesClassifier(n_estimators=20, random_state=0)
search = HalvingRandomSearchCV(clf, param_dist, factor=3, resource="n_samples", min_resources=60,
                               n_candidates=18, cv=3, random_state=rng, n_jobs=1)
search.fit(X_train, y_train)

results = pd.DataFrame(search.cv_results_)
per_iter = results.groupby("iter").agg(candidates=("params", "size"), n_resources=("n_resources", "first"),
                                        best_score=("mean_test_score", "max"))
print(per_iter.to_string())
print(f"n_iterations_: {search.n_iterations_}, n_candidates_: {list(search.n_candidates_)}")
print("best params:", {k: (round(float(v), 6) if isinstance(v, float) else v) for k, v in sorted(search.best_params_.items())})
print(f"best CV score: {search.best_score_:.4f}")

y_pred = search.predict(X_test)
print(classification_report(y_test, y_pred, digits=3))
print(f"test accuracy: {accuracy_score(y_test, y_pred):.4f}")
results.drop(columns=["params"]).to_csv("halving_cv_results.csv", index=False)
with open("best_extra_trees.pkl", "wb") as fh:
    pickle.dump(search.best_estimator_, fh)
