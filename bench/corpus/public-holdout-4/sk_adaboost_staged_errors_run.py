"""AdaBoost on Gaussian quantiles: run() fits the ensemble and walks staged_predict to get the test
error after each boosting iteration; results returned as a dict and printed as JSON in the main guard."""
import json

import joblib
import numpy as np
from sklearn.datasets import make_gaussian_quantiles
from sklearn.ensemble import AdaBoostClassifier
from sklearn.metrics import accuracy_score, zero_one_loss
from sklearn.tree import DecisionTreeClassifier


def load_data(seed):
    X, y = make_gaussian_quantiles(n_samples=2000, n_features=8, n_classes=3, random_state=seed)
    n_split = 1400
    return X[:n_split], X[n_split:], y[:n_split], y[n_split:]


def run(n_estimators=150, learning_rate=0.5, max_depth=2, seed=1):
    X_train, X_test, y_train, y_test = load_data(seed)
    weak_learner = DecisionTreeClassifier(max_depth=max_depth, random_state=seed)
    clf = AdaBoostClassifier(estimator=weak_learner, n_estimators=n_estimators,
                             learning_rate=learning_rate, random_state=seed)
    clf.fit(X_train, y_train)

    test_errors = [zero_one_loss(y_test, y_pred) for y_pred in clf.staged_predict(X_test)]
    train_errors = [zero_one_loss(y_train, y_pred) for y_pred in clf.staged_predict(X_train)]
    best_iter = int(np.argmin(test_errors)) + 1
    joblib.dump(clf, "adaboost.joblib")
    return {
        "n_estimators_fitted": len(clf.estimators_),
        "train_error_last": round(train_errors[-1], 4),
        "test_error_first": round(test_errors[0], 4),
        "test_error_last": round(test_errors[-1], 4),
        "best_iteration": best_iter,
        "best_test_error": round(min(test_errors), 4),
        "test_accuracy": round(accuracy_score(y_test, clf.predict(X_test)), 4),
        "mean_estimator_weight": round(float(np.mean(clf.estimator_weights_)), 4),
    }


if __name__ == "__main__":
    results = run()
    print(json.dumps(results, indent=2, sort_keys=True))
