"""A trainer object holding a sklearn model as an attribute."""
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


class Trainer:
    def __init__(self, n_estimators=80, max_features=0.5, seed=0):
        self.model = ExtraTreesClassifier(n_estimators=n_estimators, max_features=max_features, random_state=seed)

    def fit(self, X, y):
        self.model.fit(X, y)
        return self

    def evaluate(self, X, y):
        auc = roc_auc_score(y, self.model.predict_proba(X)[:, 1])
        return {"auc": auc}


def main():
    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
    trainer = Trainer().fit(X_tr, y_tr)
    metrics = trainer.evaluate(X_te, y_te)
    print(metrics)


if __name__ == "__main__":
    main()
