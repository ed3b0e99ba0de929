"""Random forest settings in a dict() unpacked into the constructor; results through logging."""

import logging

from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(message)s")
params = dict(n_estimators=40, max_depth=8, min_samples_split=4)
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)

with optuna.create_study(direction="maximize") as study:
    def objective(trial):
        params['n_estimators'] = trial.suggest_int("n_estimators", 10, 400)
        params['max_depth'] = trial.suggest_int("max_depth", 3, 20)
        params['min_samples_split'] = trial.suggest_int("min_samples_split", 2, 50)

        forest = RandomForestClassifier(random_state=study.sampler.state, **params)
        cross_val_score(forest, X_tr, y_tr, cv=3).mean()

    study.optimize(objective, n_trials=100)
    best_params = study.best_params
    best_value = study.best_value

logging.info("best parameters %s", best_params)
logging.info("best value %.4f", best_value)

with optuna.create_study(direction="maximize"):
    def objective(trial):
        params['n_estimators'] = trial.suggest_int("n_estimators", 10, 400)
        params['max_depth'] = trial.suggest_int("max_depth", 3, 20)
        params['min_samples_split'] = trial.suggest_int("min_samples_split", 2, 50)

        forest = RandomForestClassifier(random_state=study.sampler.state, **params)
        cross_val_score(forest, X_tr, y_tr, cv=3).mean()

    study.optimize(objective, n_trials=100)
    best_params = study.best_params
    best_value = study.best_value

print(f"best parameters {best_params}")
print(f"best value {best_value:.4f}")
