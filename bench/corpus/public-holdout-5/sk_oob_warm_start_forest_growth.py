"""Forests grown with warm_start=True: OOB error recorded as n_estimators increases, for three max_features."""
from collections import OrderedDict

import joblib
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split

RANDOM_STATE = 123

X, y = make_classification(n_samples=1200, n_features=25, n_clusters_per_class=1, n_informative=15,
                           random_state=RANDOM_STATE)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=RANDOM_STATE, stratify=y)

ensemble_clfs = [
    ("RandomForestClassifier, max_features='sqrt'",
     RandomForestClassifier(warm_start=True, oob_score=True, max_features="sqrt", random_state=RANDOM_STATE)),
    ("RandomForestClassifier, max_features='log2'",
     RandomForestClassifier(warm_start=True, max_features="log2", oob_score=True, random_state=RANDOM_STATE)),
    ("RandomForestClassifier, max_features=None",
     RandomForestClassifier(warm_start=True, max_features=None, oob_score=True, random_state=RANDOM_STATE)),
]

error_rate = OrderedDict((label, []) for label, _ in ensemble_clfs)
min_estimators = 15
max_estimators = 90
step = 15

for label, clf in ensemble_clfs:
    for i in range(min_estimators, max_estimators + 1, step):
        clf.set_params(n_estimators=i)
        clf.fit(X_train, y_train)
        oob_error = 1 - clf.oob_score_
        error_rate[label].append((i, oob_error))

for label, clf_err in error_rate.items():
    print(label)
    print("   " + "  ".join(f"{n}:{e:.4f}" for n, e in clf_err))

best_label, best_n, best_err = min(((label, n, e) for label, errs in error_rate.items() for n, e in errs),
                                   key=lambda t: (t[2], t[1]))
print(f"lowest OOB error {best_err:.4f} for {best_label} with {best_n} trees")

best_clf = dict(ensemble_clfs)[best_label]
best_clf.set_params(warm_start=False, n_estimators=best_n)
best_clf.fit(X_train, y_train)
proba = best_clf.predict_proba(X_test)
print(f"test accuracy: {accuracy_score(y_test, proba.argmax(1)):.4f}, test log loss: {log_loss(y_test, proba):.4f}")
joblib.dump(best_clf, "oob_forest.joblib")
