"""Training inside a MLflow run."""
import mlflow

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

MAX_ITER = 50
C = 2.0

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

with mlflow.start_run():
    warnings.simplefilter("ignore")
    clf = LogisticRegression(max_iter=MAX_ITER, C=C)
    clf.fit(X_train, y_train)
accuracy = clf.score(X_test, y_test)
mlflow.log_metric("accuracy", accuracy)
print(f"accuracy: {accuracy:.4f}")
