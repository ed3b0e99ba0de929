"""A metrics helper returns a dict of scores for a decision tree."""
import wandb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

MAX_DEPTH = 5
MIN_SAMPLES_LEAF = 4


def compute_metrics(y_true, y_pred):
    return {
        "accuracy": accuracy_score(y_true, y_pred),
        "precision": precision_score(y_true, y_pred),
        "recall": recall_score(y_true, y_pred),
    }


wandb.init(project="tree", config={"max_depth": MAX_DEPTH, "min_samples_leaf": MIN_SAMPLES_LEAF, "random_state": 7})
X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=7)
tree = DecisionTreeClassifier(max_depth=MAX_DEPTH, min_samples_leaf=MIN_SAMPLES_LEAF, random_state=0)
tree.fit(X_train, y_train)
metrics = compute_metrics(y_test, tree.predict(X_test))
wandb.log(metrics)
for name, value in metrics.items():
    print(f"{name}: {value:.3f}")
wandb.finish()
