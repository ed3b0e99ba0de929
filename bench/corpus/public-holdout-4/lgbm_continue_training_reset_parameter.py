# LightGBM native API in the layout of its "advanced example": train, save, continue training from the
# saved model (init_model) with a decaying learning rate (reset_parameter callback), then continue once
# more with changed parameters; the RMSE on the eval set is printed after each stage.
import json

import lightgbm as lgb
import numpy as np
from sklearn.datasets import make_friedman1
from sklearn.metrics import mean_squared_error

print("Loading data...")
X, y = make_friedman1(n_samples=2500, n_features=10, noise=0.5, random_state=7)
X_train, y_train = X[:2000], y[:2000]
X_test, y_test = X[2000:], y[2000:]

lgb_train = lgb.Dataset(X_train, y_train, free_raw_data=False)
lgb_eval = lgb.Dataset(X_test, y_test, reference=lgb_train, free_raw_data=False)

params = {
    "boosting_type": "gbdt",
    "objective": "regression",
    "metric": "l2",
    "num_leaves": 15,
    "learning_rate": 0.1,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 5,
    "seed": 7,
    "deterministic": True,
    "num_threads": 1,
    "verbose": -1,
}


def rmse(model):
    return mean_squared_error(y_test, model.predict(X_test)) ** 0.5


print("Starting training...")
gbm = lgb.train(params, lgb_train, num_boost_round=40, valid_sets=[lgb_eval])
gbm.save_model("model.txt")
print(f"stage 1 rounds={gbm.current_iteration()} rmse={rmse(gbm):.4f}")

# continue from the saved file, shrinking the learning rate each round
gbm = lgb.train(params, lgb_train, num_boost_round=40, init_model="model.txt", valid_sets=[lgb_eval],
                callbacks=[lgb.reset_parameter(learning_rate=lambda iter: 0.1 * (0.97 ** iter))])
print(f"stage 2 rounds={gbm.current_iteration()} rmse={rmse(gbm):.4f}")

# continue once more with other bagging parameters; keep_training_booster keeps it in memory
evals_result = {}
gbm = lgb.train({**params, "bagging_fraction": 0.6, "learning_rate": 0.03}, lgb_train, num_boost_round=30,
                init_model=gbm, valid_sets=[lgb_eval], valid_names=["eval"], keep_training_booster=True,
                callbacks=[lgb.record_evaluation(evals_result)])
print(f"stage 3 rounds={gbm.current_iteration()} rmse={rmse(gbm):.4f}")
print(f"final_eval_l2={evals_result['eval']['l2'][-1]:.4f}")

gbm.save_model("model.txt")
importance = dict(zip([f"x{i}" for i in range(X.shape[1])], gbm.feature_importance("gain").round(1).tolist()))
print("top features:", json.dumps(dict(sorted(importance.items(), key=lambda kv: -kv[1])[:5])))
print(f"final_rmse={rmse(gbm):.4f}")
