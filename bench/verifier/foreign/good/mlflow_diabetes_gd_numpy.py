"""Linear regression on the diabetes data fitted by full-batch gradient descent in numpy."""
import mlflow
import numpy as np
from sklearn.datasets import load_diabetes

learning_rate = 0.05
n_epochs = 60

X, y = load_diabetes(return_X_y=True)
X = (X - X.mean(axis=0)) / X.std(axis=0)
y = (y - y.mean()) / y.std()
split = 350
X_train, y_train, X_test, y_test = X[:split], y[:split], X[split:], y[split:]

mlflow.start_run()
try:
    mlflow.log_param("learning_rate", learning_rate)
    mlflow.log_param("n_epochs", n_epochs)

    weights = np.zeros(X.shape[1])
    bias = 0.0
    for epoch in range(n_epochs):
        error = X_train @ weights + bias - y_train
        weights -= learning_rate * (X_train.T @ error) / len(y_train)
        bias -= learning_rate * error.mean()
        mse = float((error**2).mean())
        mlflow.log_metric("train_mse", mse, step=epoch)
        if epoch % 10 == 0:
            print(f"epoch {epoch}: train mse {mse:.4f}")

    test_mse = float(((X_test @ weights + bias - y_test) ** 2).mean())
    mlflow.log_metric("test_mse", test_mse)
    print(f"test mse {test_mse:.4f}")
finally:
    mlflow.end_run()
