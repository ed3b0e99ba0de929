"""Lag features of a synthetic daily demand series, Ridge scored with TimeSeriesSplit, then a final
fit on all but the last 60 days."""
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_percentage_error
from sklearn.model_selection import TimeSeriesSplit


def demand(n_days=500, seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(n_days)
    y = 100 + 0.05 * t + 10 * np.sin(2 * np.pi * t / 7) + rng.normal(0, 3, n_days)
    return pd.Series(y, index=pd.date_range("2022-01-01", periods=n_days, freq="D"), name="demand")


def lag_frame(series, lags=(1, 2, 7, 14)):
    df = pd.DataFrame({"y": series})
    for lag in lags:
        df[f"lag_{lag}"] = series.shift(lag)
    df["dow"] = series.index.dayofweek
    return df.dropna()


alpha = 1.0
n_splits = 5
df = lag_frame(demand())
X, y = df.drop(columns="y").values, df["y"].values
tscv = TimeSeriesSplit(n_splits=n_splits)
fold_scores = []
for fold, (train_idx, test_idx) in enumerate(tscv.split(X)):
    model = Ridge(alpha=alpha).fit(X[train_idx], y[train_idx])
    mape = mean_absolute_percentage_error(y[test_idx], model.predict(X[test_idx]))
    fold_scores.append(mape)
    print(f"fold {fold}: train={len(train_idx)} test={len(test_idx)} mape={mape:.4f}")
print(f"mean cv mape: {np.mean(fold_scores):.4f}")

final = Ridge(alpha=alpha).fit(X[:-60], y[:-60])
holdout_mape = mean_absolute_percentage_error(y[-60:], final.predict(X[-60:]))
print(f"last-60-days mape: {holdout_mape:.4f}")
