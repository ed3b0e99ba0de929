"""An SGD classifier on the digits data trained epoch by epoch with partial_fit."""
import mlflow
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ALPHA = 1e-4
EPOCHS = 8

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_val, X_test = scaler.transform(X_train), scaler.transform(X_val), scaler.transform(X_test)

with mlflow.start_run():
    mlflow.log_params({"alpha": ALPHA, "epochs": EPOCHS})
    clf = SGDClassifier(alpha=ALPHA, random_state=0)
    classes = np.unique(y)
    for epoch in range(EPOCHS):
        clf.partial_fit(X_train, y_train, classes=classes)
        val_acc = clf.score(X_val, y_val)
        mlflow.log_metric("val_accuracy", val_acc, step=epoch)
        print(f"epoch {epoch}: val accuracy {val_acc:.4f}")

    test_acc = clf.score(X_test, y_test)
    mlflow.log_metric("test_accuracy", test_acc)
    print(f"test accuracy {test_acc:.4f}")
