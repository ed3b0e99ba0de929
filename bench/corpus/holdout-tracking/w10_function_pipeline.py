"""A pipeline of small functions with a local config dict in main()."""
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split


def load(cfg):
    X, y = load_iris(return_X_y=True)
    return train_test_split(X, y, test_size=cfg["test_size"], random_state=cfg["seed"])


def build(cfg):
    return RandomForestClassifier(n_estimators=cfg["trees"], max_depth=cfg["depth"], random_state=cfg["seed"])


def score(model, X, y):
    pred = model.predict(X)
    return {"accuracy": accuracy_score(y, pred), "f1": f1_score(y, pred, average="weighted")}


def main():
    cfg = {"test_size": 0.3, "seed": 1, "trees": 15, "depth": 3}
    X_tr, X_te, y_tr, y_te = load(cfg)
    model = build(cfg)
    model.fit(X_tr, y_tr)
    scores = score(model, X_te, y_te)
    print(scores)


if __name__ == "__main__":
    main()
