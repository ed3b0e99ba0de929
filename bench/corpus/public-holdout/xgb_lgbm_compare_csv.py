"""XGBRegressor vs LGBMRegressor vs a sklearn baseline, same split and seed; a comparison CSV."""
import time

import lightgbm as lgb
import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.datasets import make_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

SEED = 77
X, y = make_regression(n_samples=1200, n_features=15, n_informative=9, noise=12.0, random_state=SEED)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=SEED)

models = [
    ("xgboost", xgb.XGBRegressor(n_estimators=150, max_depth=4, learning_rate=0.1,
                                 random_state=SEED, n_jobs=1)),
    ("lightgbm", lgb.LGBMRegressor(n_estimators=150, num_leaves=15, learning_rate=0.1,
                                   random_state=SEED, n_jobs=1, verbose=-1)),
    ("random_forest", RandomForestRegressor(n_estimators=60, random_state=SEED, n_jobs=1)),
]

rows = []
for name, model in models:
    t0 = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - t0
    pred = model.predict(X_test)
    rmse = float(np.sqrt(mean_squared_error(y_test, pred)))
    rows.append({"model": name, "rmse": round(rmse, 3), "r2": round(r2_score(y_test, pred), 4),
                 "fit_seconds": round(fit_seconds, 3)})
    print(f"{name}: rmse={rmse:.3f} r2={rows[-1]['r2']}")

pd.DataFrame(rows).to_csv("boosting_comparison.csv", index=False)
print("winner:", min(rows, key=lambda r: r["rmse"])["model"])
