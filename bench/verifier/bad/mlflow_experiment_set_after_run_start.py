"""Flat script: a random forest on iris with module-level constants."""
import mlflow
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 25
MAX_DEPTH = 4

with mlflow.start_run():
    mlflow.set_experiment("iris")
    mlflow.log_params({"n_estimators": N_ESTIMATORS, "max_depth": MAX_DEPTH, "test_size": 0.3, "random_state": 0})
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=0)
    model.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, model.predict(X_test))
    mlflow.log_metric("accuracy", accuracy)
    print(f"accuracy: {accuracy:.3f}")
