"""High-cardinality categorical features: the same HistGradientBoosting pipeline with an OrdinalEncoder
and with a cross-fitted TargetEncoder, compared by cross_val_score; the better one is refit and saved."""
import argparse

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder, TargetEncoder


def make_frame(n, seed):
    rng = np.random.default_rng(seed)
    zip_codes = [f"z{i:03d}" for i in range(300)]
    zip_effect = dict(zip(zip_codes, rng.normal(0, 20, len(zip_codes))))
    brands = [f"b{i:02d}" for i in range(60)]
    brand_effect = dict(zip(brands, rng.normal(0, 10, len(brands))))
    df = pd.DataFrame({
        "zip": rng.choice(zip_codes, n),
        "brand": rng.choice(brands, n),
        "size": rng.uniform(20, 200, n),
        "age": rng.integers(0, 50, n),
    })
    df["price"] = (df["zip"].map(zip_effect) + df["brand"].map(brand_effect) + 1.5 * df["size"]
                   - 0.8 * df["age"] + rng.normal(0, 8, n))
    return df


def build(encoder, args):
    pre = ColumnTransformer([("cat", encoder, ["zip", "brand"])], remainder="passthrough")
    reg = HistGradientBoostingRegressor(learning_rate=args.learning_rate, max_leaf_nodes=args.max_leaf_nodes,
                                        max_iter=args.max_iter, random_state=args.seed)
    return Pipeline([("pre", pre), ("reg", reg)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--max-leaf-nodes", type=int, default=31)
    parser.add_argument("--max-iter", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    df = make_frame(3000, args.seed)
    X, y = df.drop(columns="price"), df["price"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=args.seed)
    cv = KFold(n_splits=4, shuffle=True, random_state=args.seed)
    candidates = {
        "ordinal": build(OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), args),
        "target": build(TargetEncoder(target_type="continuous", cv=KFold(n_splits=5, shuffle=True, random_state=args.seed)), args),
    }
    cv_scores = {}
    for name, pipe in candidates.items():
        scores = cross_val_score(pipe, X_train, y_train, cv=cv, scoring="neg_mean_absolute_error")
        cv_scores[name] = -scores.mean()
        print(f"{name:8s} cv MAE {cv_scores[name]:.3f} +/- {scores.std():.3f}")

    best_name = min(cv_scores, key=cv_scores.get)
    best = candidates[best_name].fit(X_train, y_train)
    pred = best.predict(X_test)
    print(f"chosen_encoder={best_name}")
    print(f"test_mae={mean_absolute_error(y_test, pred):.3f}")
    print(f"test_r2={r2_score(y_test, pred):.4f}")
    joblib.dump(best, "price_pipeline.joblib")


if __name__ == "__main__":
    main()
