"""A scaled SVM pipeline on the breast-cancer data, scored by accuracy and ROC AUC."""
import optuna
from optuna.samplers import TPESampler
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

CONFIG = {"C": 0.8, "kernel": "rbf", "gamma": "scale"}


def load_split():
    X, y = load_breast_cancer(return_X_y=True)
    return train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)


X_train, X_test, y_train, y_test = load_split()
X_tr, X_val, y_tr, y_val = train_test_split(
    X_train, y_train, test_size=0.2, random_state=5, stratify=y_train
)


def objective(trial):
    config = dict(CONFIG)
    config["C"] = trial.suggest_float("C", 0.01, 100.0, log=True)
    config["kernel"] = trial.suggest_categorical("kernel", ["rbf", "linear"])
    pipe = Pipeline([("scaler", StandardScaler()), ("svc", SVC(**config))])
    pipe.fit(X_tr, y_tr)
    return roc_auc_score(y_val, pipe.decision_function(X_val))


study = optuna.create_study(direction="maximize", sampler=TPESampler(seed=0))
study.optimize(objective, n_trials=10)
print(f"best validation roc auc {study.best_value:.4f} with {study.best_params}")
CONFIG.update(study.best_params)

pipe = Pipeline([("scaler", StandardScaler()), ("svc", SVC(**CONFIG))])
pipe.fit(X_train, y_train)

acc = accuracy_score(y_test, pipe.predict(X_test))
auc = roc_auc_score(y_test, pipe.decision_function(X_test))
print(f"accuracy: {acc:.4f}")
print(f"roc auc:  {auc:.4f}")
