"""A config dict drives an SVM; train() reports the macro F1."""
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

CONFIG = {
    "C": 1.0,
    "kernel": "rbf",
    "tol": 0.001,
}


def train(config):
    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=1)
    clf = make_pipeline(StandardScaler(), SVC(C=config["C"], kernel=config["kernel"], tol=config["tol"]))
    clf.fit(X_tr, y_tr)
    f1 = f1_score(y_te, clf.predict(X_te), average="macro")
    print("macro F1:", round(f1, 4))
    return clf


if __name__ == "__main__":
    train(CONFIG)
