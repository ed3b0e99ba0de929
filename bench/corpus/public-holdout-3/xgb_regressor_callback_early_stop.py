"""XGBRegressor with an explicit EarlyStopping callback and two eval sets.

The callback (rounds, save_best) is passed to the constructor; evals_result() gives the RMSE
curve of both sets; the model is saved in XGBoost's own format and read back to check it.
"""
import argparse

import numpy as np
import xgboost as xgb
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-estimators", type=int, default=400)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--max-depth", type=int, default=3)
    parser.add_argument("--subsample", type=float, default=0.8)
    parser.add_argument("--colsample-bytree", type=float, default=0.8)
    parser.add_argument("--patience", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2)
    return parser.parse_args()


def main(args):
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=args.seed)
    X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.25, random_state=args.seed)

    early_stop = xgb.callback.EarlyStopping(rounds=args.patience, metric_name="rmse", data_name="validation_1",
                                            save_best=True)
    reg = xgb.XGBRegressor(
        n_estimators=args.n_estimators,
        learning_rate=args.learning_rate,
        max_depth=args.max_depth,
        subsample=args.subsample,
        colsample_bytree=args.colsample_bytree,
        tree_method="hist",
        eval_metric="rmse",
        n_jobs=1,
        random_state=args.seed,
        callbacks=[early_stop],
    )
    reg.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_valid, y_valid)], verbose=False)

    history = reg.evals_result()
    train_rmse, valid_rmse = history["validation_0"]["rmse"], history["validation_1"]["rmse"]
    for i in range(0, len(valid_rmse), 25):
        print(f"[{i}] train-rmse {train_rmse[i]:.3f} valid-rmse {valid_rmse[i]:.3f}")
    print(f"best iteration: {reg.best_iteration}, best valid rmse: {reg.best_score:.3f}")

    pred = reg.predict(X_test)
    print(f"test rmse: {np.sqrt(mean_squared_error(y_test, pred)):.3f}")
    print(f"test mae:  {mean_absolute_error(y_test, pred):.3f}")

    reg.save_model("diabetes_xgb.ubj")
    reloaded = xgb.XGBRegressor()
    reloaded.load_model("diabetes_xgb.ubj")
    print("reloaded model agrees:", bool(np.allclose(reloaded.predict(X_test), pred)))


if __name__ == "__main__":
    main(parse_args())
