"""Random forest settings in a dict() unpacked into the constructor; results through logging."""
import logging

from optuna import create_study, Trial, StudyDirection
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(message)s")
params = dict(n_estimators=40, max_depth=8, min_samples_split=4)
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)

study = create_study(direction="maximize", storage=None)
sampler = optuna.samplers.TPESampler(seed=0)
study.optimize(lambda trial: objective(trial), n_trials=100)

best_params = study.best_params
best_value = study.best_value

forest = RandomForestClassifier(random_state=0, **best_params)
forest.fit(X_tr, y_tr)
bal_acc = balanced_accuracy_score(y_te, forest.predict(X_te))
logging.info("balanced accuracy %.4f", bal_acc)
print(f"balanced accuracy {bal_acc:.4f}")

# After the study, run the script once more with the best parameters
def objective(trial):
    n_estimators = trial.suggest_int("n_estimators", 10, 100)
    max_depth = trial.suggest_int("max_depth", 2, 50)
    min_samples_split = trial.suggest_int("min_samples_split", 2, 40)
    return balanced_accuracy_score(y_te, RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, min_samples_split=min_samplesplit).fit(X_tr, y_tr).predict(X_te))

# Run the script again with the best parameters
best_params = study.best_params
forest = RandomForestClassifier(random_state=0, **best_params)
forest.fit(X_tr, y_tr)
bal_acc = balanced_accuracy_score(y_te, forest.predict(X_te))
logging.info("balanced accuracy %.4f", bal_acc)
print(f"balanced accuracy {bal_acc:.4f}")
