"""Nested versus non-nested cross-validation (scikit-learn model_selection example layout): for a
few trials an inner GridSearchCV over SVR C and gamma, an outer cross_val_score of the search,
the score difference averaged; then the search refit on all data and pickled."""
import pickle

import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR

NUM_TRIALS = 4
p_grid = {"svr__C": [3, 30, 300], "svr__gamma": [0.003, 0.03, 0.3]}

X, y = load_diabetes(return_X_y=True)
svr = make_pipeline(StandardScaler(), SVR(kernel="rbf", epsilon=5.0))

non_nested_scores = np.zeros(NUM_TRIALS)
nested_scores = np.zeros(NUM_TRIALS)

for i in range(NUM_TRIALS):
    inner_cv = KFold(n_splits=4, shuffle=True, random_state=i)
    outer_cv = KFold(n_splits=3, shuffle=True, random_state=i)

    clf = GridSearchCV(estimator=svr, param_grid=p_grid, cv=inner_cv, scoring="r2")
    clf.fit(X, y)
    non_nested_scores[i] = clf.best_score_

    nested_score = cross_val_score(clf, X=X, y=y, cv=outer_cv, scoring="r2")
    nested_scores[i] = nested_score.mean()
    print(f"trial {i}: non-nested {non_nested_scores[i]:.4f} nested {nested_scores[i]:.4f}")

score_difference = non_nested_scores - nested_scores
print("Average difference of {:6f} with std. dev. of {:6f}.".format(
    score_difference.mean(), score_difference.std()))

final = GridSearchCV(estimator=svr, param_grid=p_grid, cv=KFold(3, shuffle=True, random_state=0),
                     scoring="r2").fit(X, y)
print("final params:", final.best_params_)
with open("svr_search.pkl", "wb") as fh:
    pickle.dump(final.best_estimator_, fh)
