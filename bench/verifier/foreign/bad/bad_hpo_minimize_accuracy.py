"""Gradient boosting on the digits data with its hyperparameters kept in one dict."""
import optuna
from sklearn.datasets import load_digits
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

params = {
    "n_estimators": 30,
    "learning_rate": 0.2,
    "max_depth": 2,
    "subsample": 0.8,
}

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=3)
X_fit, X_valid, y_fit, y_valid = train_test_split(X_train, y_train, test_size=0.25, random_state=3)


def objective(trial):
    trial_params = {
        "n_estimators": trial.suggest_int("n_estimators", 10, 40),
        "learning_rate": trial.suggest_float("learning_rate", 0.05, 0.5, log=True),
        "max_depth": trial.suggest_int("max_depth", 1, 3),
        "subsample": trial.suggest_float("subsample", 0.5, 1.0),
    }
    clf = GradientBoostingClassifier(**trial_params, random_state=3)
    clf.fit(X_fit, y_fit)
    return accuracy_score(y_valid, clf.predict(X_valid))


study = optuna.create_study(direction="minimize")
study.optimize(objective, n_trials=6)

print("Number of finished trials: ", len(study.trials))
print("Best trial:")
trial = study.best_trial
print("  Value: ", trial.value)
print("  Params: ")
for key, value in trial.params.items():
    print("    {}: {}".format(key, value))

params.update(trial.params)
gbc = GradientBoostingClassifier(**params, random_state=3)
gbc.fit(X_train, y_train)
accuracy = accuracy_score(y_test, gbc.predict(X_test))
print(f"digits accuracy: {accuracy:.4f}")
