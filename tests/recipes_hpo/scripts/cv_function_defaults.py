"""A function with keyword defaults cross-validates an SVM and returns a summary dict."""
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def cross_validated(C=1.0, gamma="scale", tol=1e-3):
    X, y = load_breast_cancer(return_X_y=True)
    model = make_pipeline(StandardScaler(), SVC(C=C, gamma=gamma, tol=tol))
    scores = cross_val_score(model, X, y, cv=3)
    summary = {"cv_accuracy": float(scores.mean()), "cv_spread": float(scores.std())}
    return summary


print("summary:", cross_validated())
