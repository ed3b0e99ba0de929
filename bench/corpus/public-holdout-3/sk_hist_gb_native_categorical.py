"""HistGradientBoostingRegressor with native categorical support on a pandas frame.

Category-dtype columns are handed to the model with categorical_features="from_dtype"; a
helper returns a dict of metrics for each split; the model is kept with joblib.
"""
import joblib
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split

SEED = 21
PARAMS = {
    "learning_rate": 0.1,
    "max_iter": 120,
    "max_leaf_nodes": 15,
    "l2_regularization": 0.0,
    "categorical_features": "from_dtype",
    "random_state": SEED,
}


def make_frame(n_rows=1500, seed=SEED):
    """Synthetic house prices: neighbourhood and building type matter through lookups."""
    rng = np.random.default_rng(seed)
    neighbourhoods = np.array(["north", "south", "east", "west", "centre", "harbour"])
    kinds = np.array(["flat", "terrace", "detached"])
    frame = pd.DataFrame({
        "neighbourhood": pd.Categorical(rng.choice(neighbourhoods, n_rows)),
        "kind": pd.Categorical(rng.choice(kinds, n_rows)),
        "area_m2": rng.uniform(30, 220, n_rows).round(1),
        "rooms": rng.integers(1, 7, n_rows),
        "age_years": rng.integers(0, 90, n_rows),
    })
    area_effect = {"north": 1.0, "south": 0.8, "east": 0.9, "west": 1.1, "centre": 1.5, "harbour": 1.3}
    kind_effect = {"flat": 0.0, "terrace": 20.0, "detached": 60.0}
    price = (frame["area_m2"] * 2.0 * frame["neighbourhood"].map(area_effect).astype(float)
             + frame["kind"].map(kind_effect).astype(float)
             + 5 * frame["rooms"] - 0.4 * frame["age_years"]
             + rng.normal(0, 15, n_rows))
    return frame, price.rename("price_k")


def metrics_for(model, X, y):
    pred = model.predict(X)
    return {"mae": mean_absolute_error(y, pred), "r2": r2_score(y, pred)}


X, y = make_frame()
print(X.dtypes.to_string())
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=SEED)

model = HistGradientBoostingRegressor(**PARAMS)
model.fit(X_train, y_train)
print(f"iterations: {model.n_iter_}")
print("categorical mask:", model.is_categorical_.tolist())

for split, (features, target) in {"train": (X_train, y_train), "test": (X_test, y_test)}.items():
    scores = metrics_for(model, features, target)
    print(f"{split}: mae {scores['mae']:.3f} r2 {scores['r2']:.4f}")

joblib.dump(model, "hgb_prices.joblib")
