"""A LightGBM classifier whose run stops when the model exceeds the deployment budget (a release gate)."""
from lightgbm import LGBMClassifier
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

MAX_TREE_LEAVES = 300  # what the serving box can hold

X, y = load_wine(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
clf = LGBMClassifier(n_estimators=40, num_leaves=7, learning_rate=0.1, verbose=-1, random_state=0)
clf.fit(X_train, y_train)
val_accuracy = accuracy_score(y_val, clf.predict(X_val))
print(f"validation accuracy: {val_accuracy:.3f}")
if clf.n_estimators * clf.num_leaves > MAX_TREE_LEAVES:
    raise RuntimeError(f"{clf.n_estimators} trees of {clf.num_leaves} leaves exceed the budget of {MAX_TREE_LEAVES}")
