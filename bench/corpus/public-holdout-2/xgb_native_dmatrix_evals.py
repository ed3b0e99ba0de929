"""Native xgboost API (demo/guide-python style): DMatrix for train and eval, a params dict, a
watchlist of (DMatrix, name) pairs, evals_result filled in place, early_stopping_rounds,
predictions limited to the best iteration, the booster saved as JSON."""
import numpy as np
import xgboost as xgb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=12)
X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=12)

dtrain = xgb.DMatrix(X_tr, label=y_tr)
dvalid = xgb.DMatrix(X_val, label=y_val)
dtest = xgb.DMatrix(X_test, label=y_test)

param = {
    "max_depth": 3,
    "eta": 0.1,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "objective": "binary:logistic",
    "eval_metric": ["logloss", "auc"],
    "seed": 12,
    "nthread": 1,
}
num_round = 200
watchlist = [(dtrain, "train"), (dvalid, "eval")]
evals_result = {}
bst = xgb.train(param, dtrain, num_round, evals=watchlist, evals_result=evals_result,
                early_stopping_rounds=15, verbose_eval=25)

print("best iteration:", bst.best_iteration)
print("best eval logloss: %.4f" % bst.best_score)
print("eval auc at best: %.4f" % evals_result["eval"]["auc"][bst.best_iteration])
preds = bst.predict(dtest, iteration_range=(0, bst.best_iteration + 1))
labels = dtest.get_label()
print("test error: %.4f" % (1 - accuracy_score(labels, preds > 0.5)))
print("test auc: %.4f" % roc_auc_score(labels, preds))
importance = bst.get_score(importance_type="gain")
top = sorted(importance.items(), key=lambda kv: -kv[1])[:3]
print("top features:", [(k, round(v, 2)) for k, v in top])
bst.save_model("xgb_model.json")
print("rounds recorded:", len(evals_result["train"]["logloss"]), np.round(evals_result["train"]["logloss"][-1], 4))
