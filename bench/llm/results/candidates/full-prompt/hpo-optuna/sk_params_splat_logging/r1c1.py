"""
Random forest settings in a dict() unpacked into the constructor; results through logging.
"""

import logging

from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split, cross_val_score

logging.basicConfig(level=logging.INFO, format="%(message)s")
params = dict(n_estimators=40, max_depth=8, min_samples_split=4)
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)

# Hyperparameter optimization with Optuna
import optuna

def objective(trial):
     # Suggest hyperparameters using Optuna
    n_estimators = trial.suggest_int("n_estimators", 10, 40)
    max_depth = trial.suggest_int("max_depth", 1, 8)
    min_samples_split = trial.suggest_int("min_samples_split", 2, 32)

     # Create and train the model
    forest = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, min_samples_split=min_samples_split, random_state=0)
    forest.fit(X_tr, y_tr)

     # Evaluate the model using cross-validation
    validation_scores = cross_val_score(forest, X_train, y_train, cv=3).mean()
    return validation_scores

# Run hyperparameter optimization with Optuna
study = optuna.create_study(direction="maximize", storage=None)
study.optimize(objective, n_trials=50)

# Print the best parameters and best value
print("Best parameters:", study.best_params_)
print("Best value:", study.best_value_)

# After the study, run the script once more (or refits the model) with the best parameters
best_n_estimators = study.best_params_.get("n_estimators", 40)
best_max_depth = study.best_params_.get("max_depth", 8)
best_min_samples_split = study.best_params_.get("min_samples_split", 4)

forest = RandomForestClassifier(n_estimators=best_n_estimators, max_depth=best_max_depth, min_samples_split=best_min_samples_split, random_state=0)
forest.fit(X_tr, y_tr)
bal_acc = balanced_accuracy_score(y_te, forest.predict(X_te))
logging.info("balanced accuracy %.4f", bal_acc)
print(f"balanced accuracy {bal_acc:.4f}")
