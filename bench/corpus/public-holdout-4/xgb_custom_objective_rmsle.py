"""Squared-log-error objective and RMSLE metric written in Python for xgb.train (obj=, custom_metric=),
compared with the built-in reg:squarederror on skewed positive targets; the custom booster is saved."""
import argparse
from typing import Dict, Tuple

import numpy as np
import xgboost as xgb


def make_data(n, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(0, 1, size=(n, 6))
    y = np.exp(1.5 * X[:, 0] + X[:, 1] ** 2 - 0.8 * X[:, 2] + rng.normal(0, 0.25, n))
    outliers = rng.rand(n) < 0.02
    y[outliers] *= 8  # a few heavy outliers: squared log error should be less sensitive
    return X, y


def gradient(predt: np.ndarray, dtrain: xgb.DMatrix) -> np.ndarray:
    y = dtrain.get_label()
    return (np.log1p(predt) - np.log1p(y)) / (predt + 1)


def hessian(predt: np.ndarray, dtrain: xgb.DMatrix) -> np.ndarray:
    y = dtrain.get_label()
    return (-np.log1p(predt) + np.log1p(y) + 1) / np.power(predt + 1, 2)


def squared_log(predt: np.ndarray, dtrain: xgb.DMatrix) -> Tuple[np.ndarray, np.ndarray]:
    predt[predt < -1] = -1 + 1e-6  # log1p needs predt > -1
    return gradient(predt, dtrain), hessian(predt, dtrain)


def rmsle(predt: np.ndarray, dtrain: xgb.DMatrix) -> Tuple[str, float]:
    y = dtrain.get_label()
    predt[predt < -1] = -1 + 1e-6
    return "PyRMSLE", float(np.sqrt(np.mean(np.power(np.log1p(y) - np.log1p(predt), 2))))


def native_rmse(dtrain, dvalid, args) -> Dict:
    results: Dict[str, Dict[str, list]] = {}
    booster = xgb.train({"tree_method": "hist", "seed": args.seed, "eta": args.eta, "max_depth": args.max_depth,
                         "objective": "reg:squarederror", "eval_metric": "rmsle", "nthread": 1},
                        dtrain, num_boost_round=args.rounds, evals=[(dtrain, "dtrain"), (dvalid, "dvalid")],
                        evals_result=results, verbose_eval=False)
    return booster, results


def py_rmsle(dtrain, dvalid, args):
    results: Dict[str, Dict[str, list]] = {}
    booster = xgb.train({"tree_method": "hist", "seed": args.seed, "eta": args.eta, "max_depth": args.max_depth,
                         "disable_default_eval_metric": 1, "nthread": 1},
                        dtrain, num_boost_round=args.rounds, obj=squared_log, custom_metric=rmsle,
                        evals=[(dtrain, "dtrain"), (dvalid, "dvalid")], evals_result=results, verbose_eval=False)
    return booster, results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="custom objective demo")
    parser.add_argument("--rounds", type=int, default=80)
    parser.add_argument("--eta", type=float, default=0.1)
    parser.add_argument("--max-depth", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1994)
    args = parser.parse_args()

    X, y = make_data(3000, args.seed)
    X_train, X_valid = X[:2200], X[2200:]
    y_train, y_valid = y[:2200], y[2200:]
    dtrain = xgb.DMatrix(X_train, label=y_train)
    dvalid = xgb.DMatrix(X_valid, label=y_valid)

    _, native_results = native_rmse(dtrain, dvalid, args)
    booster, custom_results = py_rmsle(dtrain, dvalid, args)
    print(f"native_valid_rmsle={native_results['dvalid']['rmsle'][-1]:.4f}")
    print(f"custom_train_rmsle={custom_results['dtrain']['PyRMSLE'][-1]:.4f}")
    print(f"custom_valid_rmsle={custom_results['dvalid']['PyRMSLE'][-1]:.4f}")
    booster.save_model("rmsle_booster.json")
