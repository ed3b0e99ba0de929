"""Skewed target: TransformedTargetRegressor(log1p/expm1) around a pipeline with a named FunctionTransformer."""
import pickle

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_absolute_error, median_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler


def make_frame(n=1500, seed=8):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "surface": rng.lognormal(4.2, 0.4, n),
        "rooms": rng.integers(1, 7, n),
        "age": rng.uniform(0, 80, n),
        "distance_km": rng.exponential(6, n),
        "district": rng.choice(["north", "south", "east", "west", "centre"], n),
    })
    district_effect = df["district"].map({"north": 0.0, "south": -0.1, "east": 0.05, "west": -0.05, "centre": 0.35})
    log_price = (3.0 + 0.9 * np.log(df["surface"]) + 0.05 * df["rooms"] - 0.004 * df["age"]
                 - 0.03 * df["distance_km"] + district_effect + rng.normal(0, 0.15, n))
    df["price"] = np.exp(log_price)
    return df


def log_distance(X):
    return np.log1p(X)


def main(alphas=np.logspace(-3, 3, 13), seed=8):
    df = make_frame(seed=seed)
    X, y = df.drop(columns="price"), df["price"]
    print(f"target skewness: {y.skew():.3f} (log: {np.log1p(y).skew():.3f})")
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed)

    preprocess = ColumnTransformer([
        ("log", FunctionTransformer(log_distance, feature_names_out="one-to-one"), ["surface", "distance_km"]),
        ("num", StandardScaler(), ["rooms", "age"]),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["district"]),
    ])
    raw = make_pipeline(preprocess, RidgeCV(alphas=alphas))
    transformed = TransformedTargetRegressor(regressor=make_pipeline(preprocess, RidgeCV(alphas=alphas)),
                                             func=np.log1p, inverse_func=np.expm1)

    results = {}
    for name, model in [("ridge_raw_target", raw), ("ridge_log_target", transformed)]:
        model.fit(X_train, y_train)
        pred = model.predict(X_test)
        results[name] = {"r2": r2_score(y_test, pred), "mae": mean_absolute_error(y_test, pred),
                         "medae": median_absolute_error(y_test, pred)}
        print(f"{name}: R2={results[name]['r2']:.4f} MAE={results[name]['mae']:.2f} "
              f"MedAE={results[name]['medae']:.2f}")

    ridge = transformed.regressor_[-1]
    names = transformed.regressor_[0].get_feature_names_out()
    print(f"chosen alpha: {ridge.alpha_:.4g}")
    for n, c in sorted(zip(names, ridge.coef_), key=lambda t: -abs(t[1]))[:5]:
        print(f"  {n:>22s} {c:+.4f}")
    with open("log_target_ridge.pkl", "wb") as fh:
        pickle.dump(transformed, fh)
    return results


if __name__ == "__main__":
    main()
