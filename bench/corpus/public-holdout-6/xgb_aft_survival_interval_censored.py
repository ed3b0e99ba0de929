"""Survival regression with XGBoost's Accelerated Failure Time objective, in the layout of xgboost's
demo/aft_survival/aft_survival_demo.py: interval labels via `label_lower_bound`/`label_upper_bound` on DMatrix
(right-censored rows have an infinite upper bound), `ShuffleSplit` for train/valid, `objective="survival:aft"`,
`eval_metric="aft-nloglik"`, `aft_loss_distribution`/`aft_loss_distribution_scale`, `evals` + early stopping; the three
distributions compared on validation, the best one reported on a test split and saved as JSON."""
import json

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.model_selection import ShuffleSplit

rng = np.random.default_rng(11)
n = 1500
df = pd.DataFrame({
    "age": rng.integers(30, 85, n),
    "karno": rng.integers(20, 100, n),
    "treatment": rng.integers(0, 2, n),
    "prior": rng.integers(0, 2, n),
    "marker": rng.normal(0, 1, n),
})
log_t = 4.0 - 0.02 * (df["age"] - 60) + 0.025 * (df["karno"] - 60) + 0.3 * df["treatment"] - 0.4 * df["marker"]
true_time = np.exp(log_t + rng.gumbel(0, 0.5, n))
censor_time = rng.uniform(10, 400, n)
observed = true_time <= censor_time
df["Survival_label_lower_bound"] = np.where(observed, true_time, censor_time)
df["Survival_label_upper_bound"] = np.where(observed, true_time, np.inf)
print(f"rows {n}, censored fraction {1 - observed.mean():.3f}")

y_lower_bound = df["Survival_label_lower_bound"]
y_upper_bound = df["Survival_label_upper_bound"]
X = df.drop(["Survival_label_lower_bound", "Survival_label_upper_bound"], axis=1)

test_cut = int(0.8 * n)
X_dev, X_test = X.iloc[:test_cut], X.iloc[test_cut:]
lo_dev, up_dev = y_lower_bound.values[:test_cut], y_upper_bound.values[:test_cut]
lo_test, up_test = y_lower_bound.values[test_cut:], y_upper_bound.values[test_cut:]

rs = ShuffleSplit(n_splits=2, test_size=0.25, random_state=0)
train_index, valid_index = next(rs.split(X_dev))

dtrain = xgb.DMatrix(X_dev.values[train_index, :])
dtrain.set_float_info("label_lower_bound", lo_dev[train_index])
dtrain.set_float_info("label_upper_bound", up_dev[train_index])
dvalid = xgb.DMatrix(X_dev.values[valid_index, :])
dvalid.set_float_info("label_lower_bound", lo_dev[valid_index])
dvalid.set_float_info("label_upper_bound", up_dev[valid_index])

params = {"verbosity": 0,
          "objective": "survival:aft",
          "eval_metric": "aft-nloglik",
          "tree_method": "hist",
          "learning_rate": 0.05,
          "aft_loss_distribution": "normal",
          "aft_loss_distribution_scale": 1.20,
          "max_depth": 4,
          "lambda": 0.01,
          "alpha": 0.02,
          "seed": 0}

results = {}
for dist in ["normal", "logistic", "extreme"]:
    params["aft_loss_distribution"] = dist
    evals_result = {}
    bst = xgb.train(params, dtrain, num_boost_round=400, evals=[(dtrain, "train"), (dvalid, "valid")],
                    early_stopping_rounds=30, evals_result=evals_result, verbose_eval=False)
    best_nll = evals_result["valid"]["aft-nloglik"][bst.best_iteration]
    results[dist] = (best_nll, bst)
    print(f"{dist:>8s}: best iteration {bst.best_iteration}, valid aft-nloglik {best_nll:.4f}")

best_dist = min(results, key=lambda d: results[d][0])
bst = results[best_dist][1]
dtest = xgb.DMatrix(X_test.values)
pred = bst.predict(dtest, iteration_range=(0, bst.best_iteration + 1))
hit = (pred >= lo_test) & (pred <= up_test)
print(f"best distribution: {best_dist}")
unc = np.isfinite(up_test)
print(f"test: censored rows with prediction beyond the censoring time {hit[~unc].mean():.3f}; "
      f"uncensored rows median |log(pred / time)| {np.median(np.abs(np.log(pred[unc] / lo_test[unc]))):.3f}")
print(pd.DataFrame({"Label (lower bound)": lo_test[:5].round(1), "Label (upper bound)": up_test[:5].round(1),
                    "Predicted label": pred[:5].astype(float).round(1)}))
bst.save_model("aft_model.json")
with open("aft_summary.json", "w") as f:
    json.dump({d: round(float(v[0]), 4) for d, v in results.items()}, f, indent=2)
