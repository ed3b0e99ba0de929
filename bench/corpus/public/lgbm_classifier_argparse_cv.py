"""LGBMClassifier from argparse options: cross_val_score, then a fit with feature importances."""
import argparse

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import cross_val_score, train_test_split


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--num-leaves", type=int, default=8)
    p.add_argument("--n-estimators", type=int, default=60)
    p.add_argument("--learning-rate", type=float, default=0.1)
    p.add_argument("--reg-lambda", type=float, default=0.0)
    p.add_argument("--cv", type=int, default=4)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def train(args):
    data = load_wine()
    X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.3,
                                                        random_state=args.seed)
    model = LGBMClassifier(num_leaves=args.num_leaves, n_estimators=args.n_estimators,
                           learning_rate=args.learning_rate, reg_lambda=args.reg_lambda,
                           random_state=args.seed, n_jobs=1, verbose=-1)
    cv_scores = cross_val_score(model, X_train, y_train, cv=args.cv)
    print(f"cv accuracy: {cv_scores.mean():.4f} +/- {cv_scores.std():.4f}")
    model.fit(X_train, y_train)
    y_pred = model.predict(X_test)
    print(f"test accuracy: {accuracy_score(y_test, y_pred):.4f}")
    print(f"test macro f1: {f1_score(y_test, y_pred, average='macro'):.4f}")
    top = np.argsort(model.feature_importances_)[::-1][:3]
    print("top features:", [data.feature_names[i] for i in top])
    return model


if __name__ == "__main__":
    train(get_args())
