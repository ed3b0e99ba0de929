"""Example training script: a random forest on iris (try: mlops-adapt apply track-mlflow examples/train.py)."""
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 30
MAX_DEPTH = 4
SEED = 7

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=SEED)

model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=SEED)
model.fit(X_train, y_train)  # train
preds = model.predict(X_test)
acc = accuracy_score(y_test, preds)
f1 = f1_score(y_test, preds, average="macro")
print(f"accuracy={acc:.4f}")
print(f"f1={f1:.4f}")
