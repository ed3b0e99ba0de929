"""A decision tree on iris whose evaluation results are gathered in a metrics dict."""
import mlflow
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

MAX_DEPTH = 3
MIN_SAMPLES_LEAF = 2

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=2)
tree = DecisionTreeClassifier(max_depth=MAX_DEPTH, min_samples_leaf=MIN_SAMPLES_LEAF, random_state=2)
tree.fit(X_train, y_train)
pred = tree.predict(X_test)

metrics = {
    "accuracy": accuracy_score(y_test, pred),
    "precision_macro": precision_score(y_test, pred, average="macro"),
    "recall_macro": recall_score(y_test, pred, average="macro"),
    "f1_macro": f1_score(y_test, pred, average="macro"),
}
for name, value in metrics.items():
    print(f"{name}: {value:.4f}")

with mlflow.start_run():
    mlflow.log_params({"max_depth": MAX_DEPTH, "min_samples_leaf": MIN_SAMPLES_LEAF})
    mlflow.log_metrics(metrics)
