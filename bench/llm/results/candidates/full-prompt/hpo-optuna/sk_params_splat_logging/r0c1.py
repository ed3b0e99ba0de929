"""Random forest settings in a dict() unpacked into the constructor; results through logging."""
import logging

from optuna import create_study, Trial, suggest_int, suggest_float, suggest_categorical
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(message)s")
params = dict(n_estimators=40, max_depth=8, min_samples_split=4)
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)

def objective(trial):
    """Objective function for hyperparameter optimization."""
    n_estimators = trial.suggest_int("n_estimators", 10, 40, log=True)
    max_depth = trial.suggest_int("max_depth", 1, 8, log=True)
    min_samples_split = trial.suggest_int("min_samples_split", 2, 40, log=True)

    forest = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, min_samples_split=min_samples_split, random_state=0)
    forest.fit(X_tr, y_tr)
    bal_acc = balanced_accuracy_score(y_te, forest.predict(X_te))
    return bal_acc

study = create_study(direction="maximize", study_name="sk_params_splat_logging")
study.optimize(objective, n_trials=10)

best_params = study.best_params
print("Best parameters:", best_params)
best_value = study.best_value
print("Best value:", best_value)
