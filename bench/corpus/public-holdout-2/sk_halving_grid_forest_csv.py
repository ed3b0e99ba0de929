"""Successive halving over a random-forest grid (HalvingGridSearchCV, resource=n_estimators),
the cv_results_ frame sorted by rank and written to CSV, the best estimator scored on a held-out
split with a classification report."""
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.metrics import classification_report, roc_auc_score
from sklearn.model_selection import HalvingGridSearchCV, train_test_split

RANDOM_STATE = 0

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y,
                                                    random_state=RANDOM_STATE)

param_grid = {
    "max_depth": [3, 6, None],
    "min_samples_leaf": [1, 4],
    "max_features": ["sqrt", 0.5],
}
base = RandomForestClassifier(random_state=RANDOM_STATE)
search = HalvingGridSearchCV(base, param_grid, resource="n_estimators", min_resources=10,
                             max_resources=80, factor=2, cv=3, scoring="roc_auc",
                             random_state=RANDOM_STATE, n_jobs=1)
search.fit(X_train, y_train)

results = pd.DataFrame(search.cv_results_)
results = results.sort_values(["iter", "rank_test_score"], ascending=[False, True])
cols = ["iter", "n_resources", "params", "mean_test_score", "rank_test_score"]
results[cols].to_csv("halving_results.csv", index=False)
print(results[cols].head(5).to_string(index=False))

print("iterations:", search.n_iterations_, "candidates per iter:", list(search.n_candidates_))
print("best params:", search.best_params_)
print("best cv auc: %.4f" % search.best_score_)
best = search.best_estimator_
proba = best.predict_proba(X_test)[:, 1]
print("test auc: %.4f" % roc_auc_score(y_test, proba))
print(classification_report(y_test, best.predict(X_test), digits=3))
