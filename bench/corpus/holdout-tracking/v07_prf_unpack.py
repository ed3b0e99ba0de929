"""Precision, recall and F1 unpacked from one call."""
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB

VAR_SMOOTHING = 1e-8

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=5)
nb = GaussianNB(var_smoothing=VAR_SMOOTHING)
nb.fit(X_train, y_train)
precision, recall, f1, _ = precision_recall_fscore_support(y_test, nb.predict(X_test), average="binary")
print(f"precision={precision:.3f} recall={recall:.3f} f1={f1:.3f}")
