"""An SGD classifier on the digits data trained epoch by epoch with partial_fit."""
import numpy as np
import optuna
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ALPHA = 1e-4
EPOCHS = 8

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = scaler.transform(X_train), scaler.transform(X_val), scaler.transform(X_test)
classes = np.unique(y)


def objective(trial):
    alpha = trial.suggest_float("alpha", 1e-6, 1e-1, log=True)
    model = SGDClassifier(alpha=alpha, random_state=0)
    for step in range(EPOCHS):
        model.partial_fit(X_train, y_train, classes=classes)
        intermediate_value = model.score(X_val, y_val)
        trial.report(intermediate_value, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return model.score(X_val, y_val)


study = optuna.create_study(direction="maximize", pruner=optuna.pruners.MedianPruner())
study.optimize(objective, n_trials=10)
print("Best trial params:", study.best_trial.params)
ALPHA = study.best_trial.params["alpha"]

clf = SGDClassifier(alpha=ALPHA, random_state=0)
for epoch in range(EPOCHS):
    clf.partial_fit(X_train, y_train, classes=classes)
    print(f"epoch {epoch}: val accuracy {clf.score(X_val, y_val):.4f}")

print(f"test accuracy {clf.score(X_test, y_test):.4f}")
