"""main() with argparse: logistic regression on breast cancer data."""
import argparse

import mlflow
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

mlflow.start_run()


def parse_args():
    parser = argparse.ArgumentParser(description="Train a logistic regression")
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--max-iter", type=int, default=200)
    return parser.parse_args()


def main():
    args = parse_args()
    with mlflow.start_run():
        mlflow.log_params(vars(args))
        mlflow.log_params({"test_size": 0.25, "random_state": 1})
        X, y = load_breast_cancer(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
        clf = make_pipeline(StandardScaler(), LogisticRegression(C=args.C, max_iter=args.max_iter))
        clf.fit(X_train, y_train)
        f1 = f1_score(y_test, clf.predict(X_test))
        mlflow.log_metric("f1", f1)
        print(f"f1={f1:.4f}")


if __name__ == "__main__":
    main()
