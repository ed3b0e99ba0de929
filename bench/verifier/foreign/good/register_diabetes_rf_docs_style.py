"""A random-forest regressor on the diabetes data, scored by mean squared error."""
import mlflow
from mlflow.models import infer_signature
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

n_estimators = 50
max_depth = 6
max_features = 3

with mlflow.start_run() as run:
    params = {"n_estimators": n_estimators, "max_depth": max_depth, "max_features": max_features}
    rf = RandomForestRegressor(**params, random_state=42)
    rf.fit(X_train, y_train)

    y_pred = rf.predict(X_test)
    mse = mean_squared_error(y_test, y_pred)
    print(f"MSE: {mse:.2f}")

    signature = infer_signature(X_test, y_pred)
    mlflow.log_params(params)
    mlflow.log_metrics({"mse": mse})
    mlflow.sklearn.log_model(
        sk_model=rf,
        name="sklearn-model",
        signature=signature,
        # skops refuses tree internals unless they are trusted explicitly
        skops_trusted_types=["sklearn.tree._tree.Tree"],
        registered_model_name="sk-learn-random-forest-reg-model",
    )
