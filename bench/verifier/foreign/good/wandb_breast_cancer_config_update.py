"""Logistic regression on the breast-cancer data; hyperparameters come from the command line."""
import argparse

import wandb
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def parse_args():
    parser = argparse.ArgumentParser(description="breast cancer logistic regression")
    parser.add_argument("--C", type=float, default=0.5, help="inverse regularisation strength")
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument("--solver", default="lbfgs")
    return parser.parse_args()


def main():
    wandb.init(project="breast-cancer")
    args = parse_args()
    wandb.config.update(args)

    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=11)

    model = make_pipeline(
        StandardScaler(), LogisticRegression(C=args.C, max_iter=args.max_iter, solver=args.solver)
    )
    model.fit(X_train, y_train)
    predictions = model.predict(X_test)

    acc = accuracy_score(y_test, predictions)
    f1 = f1_score(y_test, predictions)
    wandb.log({"Test Accuracy": acc, "Test F1": f1})
    print(f"accuracy={acc:.4f}")
    print(f"f1={f1:.4f}")


if __name__ == "__main__":
    main()
