"""A scaled SVM pipeline on the breast-cancer data, scored by accuracy and ROC AUC."""
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

CONFIG = {"C": 0.8, "kernel": "rbf", "gamma": "scale"}


def load_split():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)


X_train, X_test, y_train, y_test = load_split()
pipe = Pipeline([("scaler", StandardScaler()), ("svc", SVC(**CONFIG))])
pipe.fit(X_train, y_train)

acc = accuracy_score(y_test, pipe.predict(X_test))
auc = roc_auc_score(y_test, pipe.decision_function(X_test))
print(f"accuracy: {acc:.4f}")
print(f"roc auc:  {auc:.4f}")
