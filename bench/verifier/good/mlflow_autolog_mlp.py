"""A small scikit-learn MLP with a params dict."""
import mlflow
import mlflow.sklearn
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

params = {"hidden_layer_sizes": (16,), "alpha": 0.001, "max_iter": 300}

mlflow.sklearn.autolog(log_models=False)
X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
with mlflow.start_run():
    mlp = MLPClassifier(random_state=0, **params)
    mlp.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, mlp.predict(X_test))
    loss = log_loss(y_test, mlp.predict_proba(X_test))
    mlflow.log_metrics({"test_accuracy": accuracy, "test_log_loss": loss})
    print(f"accuracy={accuracy:.3f} loss={loss:.4f}")
