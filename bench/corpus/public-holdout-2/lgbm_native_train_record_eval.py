"""Native LightGBM API (python-package examples): lgb.Dataset with reference=, a params dict,
lgb.train with valid_sets/valid_names and the callbacks early_stopping, log_evaluation and
record_evaluation; best_iteration, feature importances, model.txt saved and reloaded."""
import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.datasets import make_regression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

print("Loading data...")
X, y = make_regression(n_samples=1500, n_features=10, n_informative=6, noise=15.0, random_state=5)
X = pd.DataFrame(X, columns=[f"f{i}" for i in range(10)])
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=5)

lgb_train = lgb.Dataset(X_train, y_train)
lgb_eval = lgb.Dataset(X_test, y_test, reference=lgb_train)

params = {
    "boosting_type": "gbdt",
    "objective": "regression",
    "metric": ["l2", "l1"],
    "num_leaves": 15,
    "learning_rate": 0.05,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 5,
    "seed": 5,
    "num_threads": 1,
    "verbose": -1,
}

print("Starting training...")
evals_result = {}
gbm = lgb.train(
    params,
    lgb_train,
    num_boost_round=300,
    valid_sets=[lgb_train, lgb_eval],
    valid_names=["train", "valid"],
    callbacks=[lgb.early_stopping(stopping_rounds=10), lgb.log_evaluation(period=50),
               lgb.record_evaluation(evals_result)],
)

print("Saving model...")
gbm.save_model("model.txt")

print("Starting predicting...")
y_pred = gbm.predict(X_test, num_iteration=gbm.best_iteration)
rmse_test = mean_squared_error(y_test, y_pred) ** 0.5
print(f"best iteration: {gbm.best_iteration}")
print(f"The RMSE of prediction is: {rmse_test:.4f}")
print("valid l1 at best:", round(evals_result["valid"]["l1"][gbm.best_iteration - 1], 4))
imp = pd.Series(gbm.feature_importance(importance_type="split"), index=gbm.feature_name())
print("feature importances:", imp.sort_values(ascending=False).head(3).to_dict())

reloaded = lgb.Booster(model_file="model.txt")
print("reloaded predictions equal:", bool(np.allclose(reloaded.predict(X_test), y_pred)))
