"""LGBMRegressor with early_stopping and log_evaluation callbacks on a synthetic regression set."""
import lightgbm as lgb
import numpy as np
from sklearn.datasets import make_regression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split


def main():
    X, y = make_regression(n_samples=1500, n_features=12, n_informative=8, noise=8.0,
                           random_state=3)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=3)
    gbm = lgb.LGBMRegressor(
        n_estimators=300,
        learning_rate=0.05,
        num_leaves=15,
        min_child_samples=10,
        subsample=0.8,
        subsample_freq=1,
        random_state=3,
        n_jobs=1,
        verbose=-1,
    )
    gbm.fit(
        X_train,
        y_train,
        eval_set=[(X_test, y_test)],
        eval_metric="l1",
        callbacks=[lgb.early_stopping(20), lgb.log_evaluation(50)],
    )
    y_pred = gbm.predict(X_test, num_iteration=gbm.best_iteration_)
    rmse = np.sqrt(mean_squared_error(y_test, y_pred))
    print(f"best iteration: {gbm.best_iteration_}")
    print(f"The RMSE of prediction is: {rmse:.4f}")
    gbm.booster_.save_model("lgbm_model.txt")


if __name__ == "__main__":
    main()
