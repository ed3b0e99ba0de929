"""xgb.cv picks the number of boosting rounds (as_pandas, early stopping, nfold), the frame's last
row gives the CV RMSE; a final xgb.train on all training data with that many rounds is scored
on the test split; params kept in a dict at module level."""
import numpy as np
import xgboost as xgb
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split

SEED = 123
PARAMS = {
    "objective": "reg:squarederror",
    "max_depth": 2,
    "learning_rate": 0.05,
    "min_child_weight": 3,
    "subsample": 0.9,
    "reg_lambda": 1.0,
    "seed": SEED,
    "nthread": 1,
}
NUM_BOOST_ROUND = 500
NFOLD = 4

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=SEED)
dtrain = xgb.DMatrix(X_train, label=y_train)

cv_results = xgb.cv(dtrain=dtrain, params=PARAMS, nfold=NFOLD, num_boost_round=NUM_BOOST_ROUND,
                    early_stopping_rounds=20, metrics="rmse", as_pandas=True, seed=SEED)
print(cv_results.tail(3).round(4))
best_rounds = len(cv_results)
print("rounds chosen by cv:", best_rounds)
print("cv test rmse: %.4f" % cv_results["test-rmse-mean"].iloc[-1])

booster = xgb.train(PARAMS, dtrain, num_boost_round=best_rounds)
pred = booster.predict(xgb.DMatrix(X_test))
print("test rmse: %.4f" % np.sqrt(mean_squared_error(y_test, pred)))
print("test mae: %.4f" % mean_absolute_error(y_test, pred))
booster.save_model("diabetes.ubj")
