import logging
from optuna import create_study
from optuna.samplers import RandomSampler
from optuna.trial import Trial
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(message)s")
params = dict(n_estimators=40, max_depth=8, min_samples_split=4)

X, y = load_digits(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0)

study = create_study(direction="maximize", sampler=RandomSampler())
with study:
    def objective(trial):
        params['n_estimators'] = trial.suggest_int('n_estimators', 10, 400)
        params['max_depth'] = trial.suggest_int('max_depth', 1, 20)
        params['min_samples_split'] = trial.suggest_int('min_samples_split', 2, 20)
        
        forest = RandomForestClassifier(random_state=0, **params)
        forest.fit(X_tr, y_tr)
        bal_acc = balanced_accuracy_score(y_te, forest.predict(X_te))
        
        return bal_acc

    study.optimize(objective, n_trials=5)

logging.info("best parameters: %s", study.best_params)
logging.info("best value: %.4f", study.best_value)
print(f"best parameters {study.best_params}")
print(f"best value {study.best_value:.4f}")
