"""Flat script: a random forest on iris with module-level constants."""
import optuna
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 25
MAX_DEPTH = 4

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
# The study scores on a validation split of the training data; the test split stays unseen.
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)


def objective(trial):
    n_estimators = trial.suggest_int("n_estimators", 10, 60)
    max_depth = trial.suggest_int("max_depth", 2, 8)
    candidate = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=0)
    candidate.fit(X_fit, y_fit)
    return accuracy_score(y_val, candidate.predict(X_val))


study = optuna.create_study(direction="maximize")
study.optimize(objective, n_trials=20)
N_ESTIMATORS = study.best_params["n_estimators"]
MAX_DEPTH = study.best_params["max_depth"]
model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=0)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy: {accuracy:.3f}")
