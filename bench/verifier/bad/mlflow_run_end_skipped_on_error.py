"""A config dict drives a gradient boosting regressor on diabetes data."""
import mlflow
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

config = {
    "n_estimators": 40,
    "learning_rate": 0.1,
    "max_depth": 2,
}

mlflow.start_run()
try:
    mlflow.log_params(config)
    mlflow.log_params({"test_size": 0.2, "random_state": 42})
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    reg = GradientBoostingRegressor(**config, random_state=0)
    reg.fit(X_train, y_train)
    pred = reg.predict(X_test)
    mse = mean_squared_error(y_test, pred)
    r2 = r2_score(y_test, pred)
    mlflow.log_metrics({"mse": mse, "r2": r2})
    print(f"mse: {mse:.2f}")
    print(f"r2: {r2:.3f}")
    mlflow.end_run()
except ValueError as err:
    print(f"training failed: {err}")
    raise
