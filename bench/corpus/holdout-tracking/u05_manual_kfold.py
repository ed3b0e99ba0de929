"""Manual k-fold loop collecting fold scores."""
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

N_SPLITS = 4
C = 0.5

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
scores = []
for fold, (tr, te) in enumerate(StratifiedKFold(n_splits=N_SPLITS, shuffle=True, random_state=0).split(X, y)):
    clf = LogisticRegression(C=C, max_iter=500)
    clf.fit(X[tr], y[tr])
    scores.append(clf.score(X[te], y[te]))
    print(f"fold {fold}: {scores[-1]:.3f}")
print(f"mean accuracy {np.mean(scores):.3f} +- {np.std(scores):.3f}")
