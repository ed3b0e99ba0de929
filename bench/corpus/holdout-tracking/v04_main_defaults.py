"""Hyperparameters as defaults of main()."""
from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split


def main(alpha=1e-4, max_iter=200, loss="log_loss", seed=0):
    X, y = make_classification(n_samples=600, n_features=12, random_state=seed)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=seed)
    clf = SGDClassifier(alpha=alpha, max_iter=max_iter, loss=loss, random_state=seed)
    clf.fit(X_tr, y_tr)
    acc = accuracy_score(y_te, clf.predict(X_te))
    ll = log_loss(y_te, clf.predict_proba(X_te))
    print(f"accuracy {acc:.3f} log-loss {ll:.3f}")


if __name__ == "__main__":
    main()
