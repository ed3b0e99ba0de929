"""A random forest on iris; the settings are module-level constants."""
import optuna
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import cross_val_score, train_test_split

N_ESTIMATORS = 40
MAX_DEPTH = 3
TEST_SIZE = 0.3
SEED = 1

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=TEST_SIZE, random_state=SEED)


def objective(trial):
    n_estimators = trial.suggest_int("n_estimators", 10, 100)
    max_depth = trial.suggest_int("max_depth", 2, 8)
    clf = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=SEED)
    return cross_val_score(clf, X_train, y_train, cv=3).mean()


study = optuna.create_study(direction="maximize")
study.optimize(objective, n_trials=8)
print(study.best_trial.params)

clf = RandomForestClassifier(**study.best_params, random_state=SEED)
clf.fit(X_train, y_train)

y_pred = clf.predict(X_test)
acc = accuracy_score(y_test, y_pred)
print("Accuracy:", round(acc, 4))
