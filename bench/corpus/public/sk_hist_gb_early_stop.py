"""HistGradientBoostingClassifier with built-in early stopping; reports iterations used and scores."""
from sklearn.datasets import make_hastie_10_2
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split


def main():
    X, y = make_hastie_10_2(n_samples=1200, random_state=1)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=1)
    clf = HistGradientBoostingClassifier(
        max_iter=80,
        learning_rate=0.2,
        max_leaf_nodes=15,
        early_stopping=True,
        validation_fraction=0.15,
        n_iter_no_change=10,
        random_state=1,
    )
    clf.fit(X_train, y_train)
    print("iterations used:", clf.n_iter_)
    print("best validation score:", round(max(clf.validation_score_), 4))
    proba = clf.predict_proba(X_test)
    print("test accuracy:", round(accuracy_score(y_test, clf.predict(X_test)), 4))
    print("test log loss:", round(log_loss(y_test, proba), 4))


if __name__ == "__main__":
    main()
