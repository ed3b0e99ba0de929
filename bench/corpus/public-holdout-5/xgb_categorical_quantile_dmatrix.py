"""xgboost with pandas categories: QuantileDMatrix(enable_categorical=True), max_cat_to_onehot, one-hot baseline."""
import argparse

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


def make_categorical(n_samples, n_categories, seed):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "store": rng.integers(0, n_categories, n_samples),
        "product": rng.integers(0, 12, n_samples),
        "channel": rng.choice(["web", "shop", "phone"], n_samples),
        "price": rng.gamma(2.0, 10.0, n_samples),
        "discount": rng.uniform(0, 0.4, n_samples),
    })
    store_effect = rng.normal(0, 1.0, n_categories)[df["store"]]
    product_effect = rng.normal(0, 0.7, 12)[df["product"]]
    channel_effect = df["channel"].map({"web": 0.3, "shop": 0.0, "phone": -0.4}).to_numpy()
    logit = store_effect + product_effect + channel_effect + 2.5 * df["discount"] - 0.03 * df["price"]
    y = (rng.uniform(size=n_samples) < 1 / (1 + np.exp(-logit))).astype(int)
    for col in ["store", "product", "channel"]:
        df[col] = df[col].astype("category")
    return df, y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-depth", type=int, default=4)
    parser.add_argument("--eta", type=float, default=0.1)
    parser.add_argument("--max-cat-to-onehot", type=int, default=4)
    parser.add_argument("--max-bin", type=int, default=64)
    parser.add_argument("--num-boost-round", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1994)
    args = parser.parse_args()

    X, y = make_categorical(4000, 40, args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=args.seed, stratify=y)
    X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.2, random_state=args.seed,
                                                          stratify=y_train)

    Xy_train = xgb.QuantileDMatrix(X_train, y_train, enable_categorical=True, max_bin=args.max_bin)
    Xy_valid = xgb.QuantileDMatrix(X_valid, y_valid, enable_categorical=True, ref=Xy_train, max_bin=args.max_bin)
    params = {"tree_method": "hist", "objective": "binary:logistic", "eval_metric": "auc",
              "max_depth": args.max_depth, "eta": args.eta, "max_bin": args.max_bin,
              "max_cat_to_onehot": args.max_cat_to_onehot,
              "seed": args.seed, "nthread": 1}
    evals_result = {}
    booster = xgb.train(params, Xy_train, num_boost_round=args.num_boost_round,
                        evals=[(Xy_train, "train"), (Xy_valid, "valid")], evals_result=evals_result,
                        early_stopping_rounds=20, verbose_eval=50)
    print(f"best iteration: {booster.best_iteration}, best valid auc: {booster.best_score:.4f}")

    dtest = xgb.DMatrix(X_test, enable_categorical=True)
    pred = booster.predict(dtest, iteration_range=(0, booster.best_iteration + 1))
    native_auc = roc_auc_score(y_test, pred)
    print(f"native categorical test AUC: {native_auc:.4f}")

    onehot = pd.get_dummies(X, columns=["store", "product", "channel"], dtype=float)
    oh_train, oh_test = onehot.loc[X_train.index], onehot.loc[X_test.index]
    oh_valid = onehot.loc[X_valid.index]
    oh_booster = xgb.train({**params, "max_cat_to_onehot": 1}, xgb.DMatrix(oh_train, y_train),
                           num_boost_round=args.num_boost_round,
                           evals=[(xgb.DMatrix(oh_valid, y_valid), "valid")], early_stopping_rounds=20,
                           verbose_eval=False)
    oh_auc = roc_auc_score(y_test, oh_booster.predict(xgb.DMatrix(oh_test),
                                                      iteration_range=(0, oh_booster.best_iteration + 1)))
    print(f"one-hot baseline test AUC:   {oh_auc:.4f}")
    booster.save_model("categorical_booster.ubj")


if __name__ == "__main__":
    main()
