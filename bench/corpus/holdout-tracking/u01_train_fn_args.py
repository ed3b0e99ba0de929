"""Train a random forest regressor from argparse options; train() returns a metrics dict."""
import argparse

from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split


def train(args):
    X, y = load_diabetes(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=args.test_size, random_state=args.seed)
    reg = RandomForestRegressor(n_estimators=args.n_estimators, max_depth=args.max_depth, random_state=args.seed)
    reg.fit(X_tr, y_tr)
    pred = reg.predict(X_te)
    return {"r2": r2_score(y_te, pred), "mae": mean_absolute_error(y_te, pred)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-estimators", type=int, default=40)
    parser.add_argument("--max-depth", type=int, default=5)
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    results = train(parser.parse_args())
    for name, value in results.items():
        print(f"{name}: {value:.4f}")
