"""Random forest settings in a dict() unpacked into the constructor; results through logging."""

import logging

from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split, cross_val_score

logging.basicConfig(level=logging.INFO, format="%(message)s")
params = dict(n_estimators=40, max_depth=8, min_samples_split=4)
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)

def objective(trial):
    n_estimators = trial.suggest_int("n_estimators", 10, 40 * params["n_estimators"])
    max_depth = trial.suggest_int("max_depth", 1, params["max_depth"] + 1)
    min_samples_split = trial.suggest_int("min_samples_split", 2, params["min_samples_split"])

    forest = RandomForestClassifier(random_state=0, n_estimators=n_estimators, max_depth=max_depth, min_samples_split=min_samples_split)
    
    scores = cross_val_score(forest, X_tr, y_tr, cv=3).mean()
    return scores

study = optuna.create_study(direction="maximize")
study.optimize(objective, n_trials=10)

best_params = study.best_params_
best_value = study.best_value

print("Best hyperparameters:", best_params)
print("Best validation score:", best_value)
