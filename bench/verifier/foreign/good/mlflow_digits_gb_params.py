"""Gradient boosting on the digits data with its hyperparameters kept in one dict."""
import mlflow
from sklearn.datasets import load_digits
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

params = {
    "n_estimators": 30,
    "learning_rate": 0.2,
    "max_depth": 2,
    "subsample": 0.8,
}

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=3)

with mlflow.start_run():
    mlflow.set_tag("model_family", "gradient-boosting")
    mlflow.log_params(params)
    gbc = GradientBoostingClassifier(**params, random_state=3)
    gbc.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, gbc.predict(X_test))
    mlflow.log_metric("accuracy", accuracy)
print(f"digits accuracy: {accuracy:.4f}")
