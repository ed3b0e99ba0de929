"""Hourly demand: one-hot vs periodic spline time features, compared with cross_validate over TimeSeriesSplit."""
import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, SplineTransformer


def make_demand(n_days=120, seed=17):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2024-01-01", periods=n_days * 24, freq="h")
    hour, weekday = idx.hour.to_numpy(), idx.day_of_week.to_numpy()
    temp = 12 + 8 * np.sin(2 * np.pi * (idx.day_of_year.to_numpy() - 30) / 365) + rng.normal(0, 2, len(idx))
    commute = np.exp(-((hour - 8) ** 2) / 4) + np.exp(-((hour - 18) ** 2) / 5)
    base = 0.25 + 0.9 * commute * (weekday < 5) + 0.35 * np.exp(-((hour - 14) ** 2) / 10) * (weekday >= 5)
    demand = np.clip(base + 0.02 * temp + rng.normal(0, 0.08, len(idx)), 0, None)
    return pd.DataFrame({"hour": hour, "weekday": weekday, "month": idx.month.to_numpy(), "temp": temp,
                         "demand": demand})


def periodic_spline_transformer(period, n_splines=None, degree=3):
    if n_splines is None:
        n_splines = period
    n_knots = n_splines + 1
    return SplineTransformer(degree=degree, n_knots=n_knots, knots=np.linspace(0, period, n_knots).reshape(n_knots, 1),
                             extrapolation="periodic", include_bias=True)


def evaluate(model, X, y, cv, name):
    cv_results = cross_validate(model, X, y, cv=cv, scoring=["neg_mean_absolute_error", "neg_root_mean_squared_error"])
    mae = -cv_results["test_neg_mean_absolute_error"]
    rmse = -cv_results["test_neg_root_mean_squared_error"]
    print(f"{name:>16s}  MAE {mae.mean():.4f} +/- {mae.std():.4f}   RMSE {rmse.mean():.4f} +/- {rmse.std():.4f}")
    return rmse.mean()


df = make_demand()
X, y = df.drop(columns="demand"), df["demand"]
ts_cv = TimeSeriesSplit(n_splits=4, gap=48, max_train_size=1500, test_size=400)
alphas = np.logspace(-6, 6, 25)
categorical_columns = ["weekday", "month"]

one_hot_linear = make_pipeline(
    ColumnTransformer([("categorical", OneHotEncoder(handle_unknown="ignore"), categorical_columns + ["hour"])],
                      remainder=MinMaxScaler()),
    RidgeCV(alphas=alphas),
)
cyclic_spline_linear = make_pipeline(
    ColumnTransformer([
        ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical_columns),
        ("cyclic_month", periodic_spline_transformer(12, n_splines=6), ["month"]),
        ("cyclic_hour", periodic_spline_transformer(24, n_splines=12), ["hour"]),
    ], remainder=MinMaxScaler()),
    RidgeCV(alphas=alphas),
)
candidates = {"one_hot": one_hot_linear, "cyclic_spline": cyclic_spline_linear}
scores = {name: evaluate(model, X, y, ts_cv, name) for name, model in candidates.items()}
best_name = min(scores, key=scores.get)
print(f"best time encoding: {best_name}")

holdout = 24 * 14
best = candidates[best_name].fit(X.iloc[:-holdout], y.iloc[:-holdout])
pred = best.predict(X.iloc[-holdout:])
print(f"last two weeks RMSE: {np.sqrt(np.mean((pred - y.iloc[-holdout:].to_numpy()) ** 2)):.4f}")
print(f"ridge alpha: {best[-1].alpha_:.3g}")
joblib.dump(best, "demand_model.joblib")
