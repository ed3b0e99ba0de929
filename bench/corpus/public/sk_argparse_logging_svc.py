"""SVC on breast cancer from argparse options, progress through logging, model saved with joblib."""
import argparse
import logging

import joblib
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

logger = logging.getLogger("train_svc")


def parse_args():
    parser = argparse.ArgumentParser(description="Train an SVC")
    parser.add_argument("--C", type=float, default=1.0)
    parser.add_argument("--kernel", default="rbf", choices=["linear", "rbf", "poly"])
    parser.add_argument("--gamma", default="scale")
    parser.add_argument("--test-size", type=float, default=0.25)
    parser.add_argument("--random-state", type=int, default=42)
    parser.add_argument("--output", default="svc.joblib")
    return parser.parse_args()


def main():
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:%(name)s:%(message)s")
    args = parse_args()
    logger.info("arguments: %s", vars(args))
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=args.test_size, random_state=args.random_state, stratify=y)
    model = Pipeline([("scale", StandardScaler()),
                      ("svc", SVC(C=args.C, kernel=args.kernel, gamma=args.gamma))])
    model.fit(X_train, y_train)
    y_pred = model.predict(X_test)
    logger.info("precision: %.4f", precision_score(y_test, y_pred))
    logger.info("recall: %.4f", recall_score(y_test, y_pred))
    logger.info("f1: %.4f", f1_score(y_test, y_pred))
    joblib.dump(model, args.output)
    logger.info("saved model to %s", args.output)


if __name__ == "__main__":
    main()
