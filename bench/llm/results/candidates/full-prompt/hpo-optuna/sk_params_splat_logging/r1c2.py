"""Random forest settings in a dict() unpacked into the constructor; results through logging."""
import optuna

from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(message)s")
params = dict(n_estimators=40, max_depth=8, min_samples_split=4)
X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)
forest = RandomForestClassifier(random_state=0, **params)
study = optuna.create_study(direction="maximize")
sampler = optuna.samplers.TPESampler(seed=0)
study.optimize(lambda trial: cross_val_score(forest, X_train, y_train, cv=3).mean(), n_trials=100)
print(f"best params: {study.best_params}")
print(f"best value: {study.best_value}")

# Refit the model with the best parameters
forest = RandomForestClassifier(random_state=0, **study.best_params)
forest.fit(X_tr, y_tr)

bal_acc = balanced_accuracy_score(y_te, forest.predict(X_te))
logging.info("balanced accuracy %.4f", bal_acc)
print(f"balanced accuracy {bal_acc:.4f}")
