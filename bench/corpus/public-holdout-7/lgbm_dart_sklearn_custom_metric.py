"""LightGBM DART boosting through the scikit-learn API with a custom evaluation metric, in the shape of Kaggle
kernels that switch `boosting_type="dart"` and of LightGBM's `sklearn_example.py`: `LGBMClassifier(boosting_type=
"dart", drop_rate=..., skip_drop=..., max_drop=..., xgboost_dart_mode=...)` (no early stopping with DART, so a
fixed number of rounds), a `f1_at_threshold(y_true, y_pred)` callable returning `(name, value, is_higher_better)`
passed in `eval_metric=` with `eval_set` and `eval_names`, `record_evaluation` callback, a small loop over
`drop_rate` picking the best validation F1, the chosen booster saved with `booster_.save_model`, test metrics."""
import json

import lightgbm as lgb
import numpy as np
from sklearn.datasets import make_classification
from sklearn.metrics import f1_score, log_loss, roc_auc_score
from sklearn.model_selection import train_test_split

SEED = 21
PARAMS = {
    "boosting_type": "dart",
    "n_estimators": 120,
    "learning_rate": 0.1,
    "num_leaves": 15,
    "min_child_samples": 20,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "skip_drop": 0.5,
    "max_drop": 30,
    "xgboost_dart_mode": False,
    "random_state": SEED,
    "n_jobs": 1,
    "verbose": -1,
}
DROP_RATES = [0.05, 0.1, 0.2]


def f1_at_threshold(y_true, y_pred):
    return "f1@0.5", f1_score(y_true, (y_pred > 0.5).astype(int)), True


print("Loading data...")
X, y = make_classification(n_samples=4000, n_features=25, n_informative=10, weights=[0.8, 0.2], flip_y=0.02,
                           random_state=SEED)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)
X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.2, random_state=SEED,
                                                      stratify=y_train)

print("Starting training...")
runs = {}
for drop_rate in DROP_RATES:
    evals_result = {}
    gbm = lgb.LGBMClassifier(drop_rate=drop_rate, **PARAMS)
    gbm.fit(X_train, y_train, eval_set=[(X_train, y_train), (X_valid, y_valid)], eval_names=["train", "valid"],
            eval_metric=f1_at_threshold, callbacks=[lgb.record_evaluation(evals_result), lgb.log_evaluation(40)])
    valid_f1 = evals_result["valid"]["f1@0.5"][-1]
    valid_loss = evals_result["valid"]["binary_logloss"][-1]
    runs[drop_rate] = (valid_f1, gbm)
    print(f"drop_rate={drop_rate}: valid f1@0.5 {valid_f1:.4f} valid logloss {valid_loss:.4f}")

best_drop = max(runs, key=lambda k: runs[k][0])
gbm = runs[best_drop][1]
print(f"Best drop_rate: {best_drop}")

print("Starting predicting...")
proba = gbm.predict_proba(X_test)[:, 1]
metrics = {
    "test_f1": f1_score(y_test, (proba > 0.5).astype(int)),
    "test_auc": roc_auc_score(y_test, proba),
    "test_logloss": log_loss(y_test, proba),
}
for k, v in metrics.items():
    print(f"{k}: {v:.4f}")
print("Feature importances (top 5):", [int(i) for i in np.argsort(gbm.feature_importances_)[::-1][:5]])
gbm.booster_.save_model("dart_model.txt")
with open("dart_metrics.json", "w") as fh:
    json.dump({"drop_rate": best_drop, **metrics}, fh, indent=2)
