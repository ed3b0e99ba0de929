"""Logistic regression on the breast-cancer data; hyperparameters come from the command line."""
import argparse

import optuna
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def parse_args():
    parser = argparse.ArgumentParser(description="breast cancer logistic regression")
    parser.add_argument("--C", type=float, default=0.5, help="inverse regularisation strength")
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument("--solver", default="lbfgs")
    parser.add_argument("--n-trials", type=int, default=8)
    return parser.parse_args()


def main():
    args = parse_args()
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=11)

    def objective(trial):
        C = trial.suggest_float("C", 1e-3, 10.0, log=True)
        solver = trial.suggest_categorical("solver", ["lbfgs", "liblinear"])
        pipe = make_pipeline(
            StandardScaler(), LogisticRegression(C=C, max_iter=args.max_iter, solver=solver)
        )
        return cross_val_score(pipe, X_train, y_train, cv=4, scoring="f1").mean()

    study = optuna.create_study(direction="maximize")
    # start from the command-line configuration, then let the sampler explore
    study.enqueue_trial({"C": args.C, "solver": args.solver})
    study.optimize(objective, n_trials=args.n_trials)
    print("best params:", study.best_params, "cv f1:", round(study.best_value, 4))
    args.C = study.best_params["C"]
    args.solver = study.best_params["solver"]

    model = make_pipeline(
        StandardScaler(), LogisticRegression(C=args.C, max_iter=args.max_iter, solver=args.solver)
    )
    model.fit(X_train, y_train)
    predictions = model.predict(X_test)

    acc = accuracy_score(y_test, predictions)
    f1 = f1_score(y_test, predictions)
    print(f"accuracy={acc:.4f}")
    print(f"f1={f1:.4f}")


if __name__ == "__main__":
    main()
