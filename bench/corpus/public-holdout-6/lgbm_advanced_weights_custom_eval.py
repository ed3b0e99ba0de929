"""LightGBM native API in the order of LightGBM's examples/python-guide/advanced_example.py: "Loading data...",
`lgb.Dataset` with `weight=`, `feature_name=`, `categorical_feature=` and `free_raw_data=False`, "Starting training...",
a custom eval function `binary_error(preds, eval_data)` returning `(name, value, is_higher_better)` passed as `feval`
next to the built-in metric, `record_evaluation` callback, `dump_model()` to JSON, `feature_importance()`,
`model_to_string()` round trip into a new `lgb.Booster(model_str=...)`, pickle of the booster."""
import json
import pickle

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

print("Loading data...")
rng = np.random.default_rng(8)
n = 6000
df = pd.DataFrame(rng.normal(size=(n, 8)), columns=[f"feature_{i}" for i in range(8)])
df["region"] = rng.integers(0, 5, n)
logit = 1.2 * df["feature_0"] - 0.8 * df["feature_1"] + 0.5 * df["feature_2"] * df["feature_3"] + 0.6 * (df["region"] == 2)
df["label"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
df["weight"] = np.where(df["label"] == 1, 1.5, 1.0)

df_train, df_valid, df_test = df.iloc[:4000], df.iloc[4000:5000], df.iloc[5000:]
feature_name = [c for c in df.columns if c not in ("label", "weight")]
X_train, y_train, W_train = df_train[feature_name], df_train["label"], df_train["weight"]
X_valid, y_valid, W_valid = df_valid[feature_name], df_valid["label"], df_valid["weight"]
X_test, y_test = df_test[feature_name], df_test["label"]

lgb_train = lgb.Dataset(X_train, y_train, weight=W_train, feature_name=feature_name, categorical_feature=["region"],
                        free_raw_data=False)
lgb_eval = lgb.Dataset(X_valid, y_valid, reference=lgb_train, weight=W_valid, free_raw_data=False)

params = {
    "boosting_type": "gbdt",
    "objective": "binary",
    "metric": "binary_logloss",
    "num_leaves": 15,
    "learning_rate": 0.05,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 5,
    "min_data_in_leaf": 20,
    "seed": 8,
    "deterministic": True,
    "num_threads": 1,
    "verbose": -1,
}


# self-defined eval metric
# f(preds: array, eval_data: Dataset) -> name: str, eval_result: float, is_higher_better: bool
def binary_error(preds, eval_data):
    labels = eval_data.get_label()
    weights = eval_data.get_weight()
    wrong = (preds > 0.5).astype(int) != labels
    return "weighted_error", float(np.sum(weights * wrong) / np.sum(weights)), False


print("Starting training...")
evals_result = {}
gbm = lgb.train(params, lgb_train, num_boost_round=300, valid_sets=[lgb_train, lgb_eval], valid_names=["train", "valid"],
                feval=binary_error,
                callbacks=[lgb.early_stopping(25, first_metric_only=True, verbose=False), lgb.log_evaluation(50),
                           lgb.record_evaluation(evals_result)])
print(f"Finished first {gbm.best_iteration} rounds (best iteration)")
print(f"valid weighted_error at best iteration: {evals_result['valid']['weighted_error'][gbm.best_iteration - 1]:.4f}")

print("Dumping model to JSON...")
model_json = gbm.dump_model()
with open("model.json", "w+") as f:
    json.dump(model_json, f, indent=2)

print(f"Feature names: {gbm.feature_name()}")
print(f"Feature importances (split): {[int(v) for v in gbm.feature_importance()]}")
gain = gbm.feature_importance(importance_type="gain")
print("Top features by gain:", [feature_name[i] for i in np.argsort(gain)[::-1][:3]])

print("Loading model from string and predicting...")
model_str = gbm.model_to_string(num_iteration=gbm.best_iteration)
bst = lgb.Booster(model_str=model_str)
y_pred = bst.predict(X_test)
print(f"The ROC AUC of the reloaded model on test is: {roc_auc_score(y_test, y_pred):.4f}")

with open("model.pkl", "wb") as fout:
    pickle.dump(gbm, fout)
