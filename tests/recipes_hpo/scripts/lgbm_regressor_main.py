"""LightGBM's scikit-learn regressor on the diabetes data, inside main(); the test RMSE is printed."""
import lightgbm as lgb
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split


def main():
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    model = lgb.LGBMRegressor(
        n_estimators=80,
        learning_rate=0.05,
        num_leaves=15,
        subsample=0.8,
        colsample_bytree=0.9,
        min_child_samples=10,
        random_state=0,
        verbose=-1,
    )
    model.fit(X_train, y_train)
    rmse = mean_squared_error(y_test, model.predict(X_test)) ** 0.5
    print(f"test RMSE: {rmse:.3f}")


if __name__ == "__main__":
    main()
