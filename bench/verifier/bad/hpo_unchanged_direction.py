"""AdaBoost with hyperparameters as main() locals."""
import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import AdaBoostClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

TRIAL = None  # the Optuna trial being run; None keeps the script's own defaults


def main():
    n_estimators = 30
    learning_rate = 0.5
    if TRIAL is not None:
        n_estimators = TRIAL.suggest_int("n_estimators", 10, 60)
        learning_rate = TRIAL.suggest_float("learning_rate", 0.05, 1.0, log=True)
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
    if TRIAL is not None and not isinstance(TRIAL, optuna.trial.FixedTrial):
        # A trial is scored on a validation split of the training data, never on the test split.
        X_train, X_test, y_train, y_test = train_test_split(X_train, y_train, stratify=y_train, random_state=0)
    model = AdaBoostClassifier(n_estimators=n_estimators, learning_rate=learning_rate, random_state=0)
    model.fit(X_train, y_train)
    auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    print(f"auc: {auc:.4f}")
    return auc


def objective(trial):
    global TRIAL
    TRIAL = trial
    return main()


if __name__ == "__main__":
    study = optuna.create_study()
    study.optimize(objective, n_trials=15)
    print("best params:", study.best_params)
    TRIAL = optuna.trial.FixedTrial(study.best_params)
    main()
