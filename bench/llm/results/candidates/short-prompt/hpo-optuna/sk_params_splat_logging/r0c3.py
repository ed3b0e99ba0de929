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

# Hyperparameter optimization with Optuna
import optuna

def objective(trial):
    n_estimators = trial.suggest_int('n_estimators', 4, 80, log=True)
    max_depth = trial.suggest_int('max_depth', 1, 30, log=True)
    min_samples_split = trial.suggest_int('min_samples_split', 2, 50, log=True)

    # Train the model with the suggested parameters
    forest = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, min_samples_split=min_samples_split, random_state=0)
    forest.fit(X_tr, y_tr)

    # Evaluate the model on validation data using cross-validation
    cv_score = cross_val_score(forest, X_train, y_train, cv=3).mean()
    return -cv_score

study = optuna.create_study(direction="maximize")
study.optimize(objective, n_trials=50)
best_params = study.best_params
best_value = study.best_value

# Run the script with the best parameters for final evaluation
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
forest = RandomForestClassifier(random_state=0, **best_params)
forest.fit(X_tr, y_tr)
bal_acc = balanced_accuracy_score(y_te, forest.predict(X_te))
logging.info("balanced accuracy %.4f", bal_acc)
print(f"balanced accuracy {bal_acc:.4f}")
