"""validation_curve of an RBF SVC over gamma on digits; the best gamma is refit and scored."""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split, validation_curve
from sklearn.svm import SVC

X, y = load_digits(return_X_y=True)
subset_mask = np.isin(y, [1, 2, 7])
X, y = X[subset_mask], y[subset_mask]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

param_range = np.logspace(-6, -1, 6)
train_scores, test_scores = validation_curve(
    SVC(C=1.0), X_train, y_train, param_name="gamma", param_range=param_range, cv=4,
    scoring="accuracy", n_jobs=1,
)
train_scores_mean = np.mean(train_scores, axis=1)
test_scores_mean = np.mean(test_scores, axis=1)
for gamma, tr, te in zip(param_range, train_scores_mean, test_scores_mean):
    print(f"gamma={gamma:.0e} train={tr:.3f} cv={te:.3f}")

best_gamma = param_range[int(np.argmax(test_scores_mean))]
clf = SVC(C=1.0, gamma=best_gamma).fit(X_train, y_train)
print(f"best gamma: {best_gamma:.0e}")
print(f"test accuracy: {clf.score(X_test, y_test):.4f}")
