"""lgb.cv with return_cvbooster=True: fold boosters averaged on the test set, then one refit at the CV best round."""
import json

import lightgbm as lgb
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import train_test_split

print("Loading data...")
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=7, stratify=y)

params = {
    "objective": "binary",
    "metric": ["binary_logloss", "auc"],
    "num_leaves": 15,
    "learning_rate": 0.05,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "min_data_in_leaf": 10,
    "lambda_l2": 1.0,
    "seed": 7,
    "deterministic": True,
    "num_threads": 1,
    "verbose": -1,
}

train_set = lgb.Dataset(X_train, label=y_train)
print("Starting cross-validation...")
cv_results = lgb.cv(
    params,
    train_set,
    num_boost_round=400,
    nfold=5,
    stratified=True,
    seed=7,
    callbacks=[lgb.early_stopping(stopping_rounds=25, verbose=False), lgb.log_evaluation(period=50)],
    return_cvbooster=True,
)
cvbooster = cv_results.pop("cvbooster")
best_rounds = len(cv_results["valid binary_logloss-mean"])
print(f"best number of rounds: {best_rounds} (cvbooster.best_iteration={cvbooster.best_iteration})")
print(f"cv logloss: {cv_results['valid binary_logloss-mean'][-1]:.4f} +/- {cv_results['valid binary_logloss-stdv'][-1]:.4f}")
print(f"cv auc:     {cv_results['valid auc-mean'][-1]:.4f} +/- {cv_results['valid auc-stdv'][-1]:.4f}")

fold_preds = np.array(cvbooster.predict(X_test, num_iteration=cvbooster.best_iteration))
ensemble_pred = fold_preds.mean(axis=0)
print(f"{len(cvbooster.boosters)} fold boosters averaged: test logloss {log_loss(y_test, ensemble_pred):.4f}, "
      f"test auc {roc_auc_score(y_test, ensemble_pred):.4f}")

print("Refitting on the whole training set...")
final_model = lgb.train(params, lgb.Dataset(X_train, label=y_train), num_boost_round=best_rounds)
final_pred = final_model.predict(X_test)
print(f"refit model: test logloss {log_loss(y_test, final_pred):.4f}, test auc {roc_auc_score(y_test, final_pred):.4f}")
final_model.save_model("lgbm_refit.txt")
with open("cv_summary.json", "w") as fh:
    json.dump({"best_rounds": best_rounds, "cv_logloss": cv_results["valid binary_logloss-mean"][-1]}, fh)
