"""Claim-frequency style count regression: Dummy, Ridge, PoissonRegressor and HistGradientBoosting with
a Poisson loss compared by one score_estimator() helper (MSE, MAE, mean Poisson deviance), with
exposure used as sample weight."""
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import PoissonRegressor, Ridge
from sklearn.metrics import mean_absolute_error, mean_poisson_deviance, mean_squared_error
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, OrdinalEncoder, StandardScaler

rng = np.random.RandomState(42)
n = 4000
df = pd.DataFrame({
    "driver_age": rng.randint(18, 80, n),
    "vehicle_power": rng.randint(4, 15, n),
    "density": np.exp(rng.normal(6, 1.5, n)),
    "region": rng.choice(["north", "south", "east", "west", "center"], n),
    "exposure": rng.uniform(0.1, 1.0, n),
})
rate = np.exp(-1.2 + 0.12 * (df["vehicle_power"] - 8) + 0.9 * (df["driver_age"] < 25)
              + 0.35 * (np.log(df["density"]) - 6) + 0.5 * (df["region"] == "south"))
df["claims"] = rng.poisson(rate * df["exposure"])
df["frequency"] = df["claims"] / df["exposure"]

df_train, df_test = train_test_split(df, test_size=0.33, random_state=0)
features = ["driver_age", "vehicle_power", "density", "region"]
linear_pre = ColumnTransformer([
    ("num", StandardScaler(), ["driver_age", "vehicle_power"]),
    ("logdens", Pipeline([("log", FunctionTransformer(np.log)),
                          ("scale", StandardScaler())]), ["density"]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), ["region"]),
])
tree_pre = ColumnTransformer([
    ("num", "passthrough", ["driver_age", "vehicle_power", "density"]),
    ("cat", OrdinalEncoder(), ["region"]),
])


def score_estimator(estimator, df_eval):
    """Score an estimator on the test set, weighting by exposure."""
    y_pred = estimator.predict(df_eval[features])
    w = df_eval["exposure"]
    mask = y_pred > 0
    scores = {
        "MSE": mean_squared_error(df_eval["frequency"], y_pred, sample_weight=w),
        "MAE": mean_absolute_error(df_eval["frequency"], y_pred, sample_weight=w),
        "poisson_deviance": mean_poisson_deviance(df_eval["frequency"][mask], y_pred[mask], sample_weight=w[mask]),
    }
    if (~mask).sum():
        print(f"  warning: {int((~mask).sum())} non-positive predictions ignored for the deviance")
    return scores


models = {
    "dummy": Pipeline([("pre", linear_pre), ("reg", DummyRegressor(strategy="mean"))]),
    "ridge": Pipeline([("pre", linear_pre), ("reg", Ridge(alpha=1e-6))]),
    "poisson_glm": Pipeline([("pre", linear_pre), ("reg", PoissonRegressor(alpha=1e-4, max_iter=300))]),
    "poisson_gbrt": Pipeline([("pre", tree_pre), ("reg", HistGradientBoostingRegressor(
        loss="poisson", max_leaf_nodes=16, learning_rate=0.1, max_iter=100, random_state=0))]),
}

rows = []
for name, model in models.items():
    model.fit(df_train[features], df_train["frequency"], reg__sample_weight=df_train["exposure"])
    scores = score_estimator(model, df_test)
    rows.append({"model": name, **scores})
    print(f"{name:13s} MSE {scores['MSE']:.4f} MAE {scores['MAE']:.4f} deviance {scores['poisson_deviance']:.4f}")

table = pd.DataFrame(rows).set_index("model")
best = table["poisson_deviance"].idxmin()
print(f"best_model={best}")
print(f"best_poisson_deviance={table.loc[best, 'poisson_deviance']:.4f}")
print(f"glm_poisson_deviance={table.loc['poisson_glm', 'poisson_deviance']:.4f}")
