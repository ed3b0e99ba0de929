"""RandomizedSearchCV over a random forest with scipy distributions and a report() of the top runs."""
import numpy as np
from scipy.stats import randint
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import RandomizedSearchCV, train_test_split


def report(results, n_top=3):
    for i in range(1, n_top + 1):
        candidates = np.flatnonzero(results["rank_test_score"] == i)
        for candidate in candidates:
            print("Model with rank: {0}".format(i))
            print("Mean validation score: {0:.3f} (std: {1:.3f})".format(
                results["mean_test_score"][candidate], results["std_test_score"][candidate]))
            print("Parameters: {0}".format(results["params"][candidate]))
            print("")


X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
clf = RandomForestClassifier(n_estimators=30, random_state=0)

param_dist = {
    "max_depth": [3, None],
    "max_features": randint(1, 11),
    "min_samples_split": randint(2, 11),
    "bootstrap": [True, False],
    "criterion": ["gini", "entropy"],
}
n_iter_search = 8
random_search = RandomizedSearchCV(clf, param_distributions=param_dist, n_iter=n_iter_search,
                                   cv=3, random_state=0)
random_search.fit(X_train, y_train)
print("RandomizedSearchCV took %d candidates parameter settings." % n_iter_search)
report(random_search.cv_results_)
print("held-out accuracy: %.4f" % random_search.best_estimator_.score(X_test, y_test))
