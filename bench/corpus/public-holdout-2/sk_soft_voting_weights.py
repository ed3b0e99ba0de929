"""Soft-voting ensemble (ensemble examples): three different classifiers, each scored alone with
cross_val_score, then a VotingClassifier(voting="soft", weights=...) scored the same way; the
ensemble refit and its test accuracy and per-estimator test probabilities printed."""
import numpy as np
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier, VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.naive_bayes import GaussianNB

seed = 1
weights = [2, 1, 1]

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)

clf1 = LogisticRegression(C=1.0, max_iter=1000, random_state=seed)
clf2 = RandomForestClassifier(n_estimators=50, max_depth=4, random_state=seed)
clf3 = GaussianNB()
eclf = VotingClassifier(estimators=[("lr", clf1), ("rf", clf2), ("gnb", clf3)],
                        voting="soft", weights=weights)

for clf, label in zip([clf1, clf2, clf3, eclf], ["Logistic Regression", "Random Forest",
                                                 "naive Bayes", "Ensemble"]):
    scores = cross_val_score(clf, X_train, y_train, scoring="accuracy", cv=5)
    print("Accuracy: %0.4f (+/- %0.4f) [%s]" % (scores.mean(), scores.std(), label))

eclf.fit(X_train, y_train)
print("ensemble test accuracy: %.4f" % eclf.score(X_test, y_test))
probas = [c.predict_proba(X_test[:1]) for c in eclf.estimators_] + [eclf.predict_proba(X_test[:1])]
for name, p in zip(["lr", "rf", "gnb", "vote"], probas):
    print(name, np.round(p[0], 4))
