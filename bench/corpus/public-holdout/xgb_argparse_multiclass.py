"""XGBClassifier on digits from an argparse main(): multi-class log loss per boosting round, accuracy."""
import argparse

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier


def parse():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-estimators", type=int, default=40)
    ap.add_argument("--max-depth", type=int, default=3)
    ap.add_argument("--eta", type=float, default=0.3)
    ap.add_argument("--min-child-weight", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=2)
    return ap.parse_args()


def main():
    args = parse()
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    model = XGBClassifier(n_estimators=args.n_estimators, max_depth=args.max_depth,
                          learning_rate=args.eta, min_child_weight=args.min_child_weight,
                          objective="multi:softprob", eval_metric="mlogloss", tree_method="hist",
                          random_state=args.seed, n_jobs=1)
    model.fit(X_tr, y_tr, eval_set=[(X_tr, y_tr), (X_te, y_te)], verbose=False)
    evals = model.evals_result()
    for rnd in range(0, args.n_estimators, 10):
        print(f"round {rnd}: train {evals['validation_0']['mlogloss'][rnd]:.4f} "
              f"test {evals['validation_1']['mlogloss'][rnd]:.4f}")
    pred = model.predict(X_te)
    print("accuracy:", round(accuracy_score(y_te, pred), 4))
    cm = confusion_matrix(y_te, pred)
    print("worst class recall:", round(float(np.min(cm.diagonal() / cm.sum(1))), 4))


if __name__ == "__main__":
    main()
