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
study = optuna.create_study(direction="maximize")
sampler = optuna.samplers.TPESampler(seed=0)
pruner = optuna.pruners.Hyperband(n_startup Studies=3)
study.optimize(objective, n_trials=10)

best_params = study.best_params
best_value = study.best_value

logging.info("balanced accuracy %.4f", best_value)
print(f"balanced accuracy {best_value:.4f}")
