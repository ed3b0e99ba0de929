"""Wine classification with an sklearn Pipeline (scaler + logistic regression), no grid search."""
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

C = 0.5
MAX_ITER = 300
SOLVER = "lbfgs"

X, y = load_wine(return_X_y=True)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
pipeline = Pipeline([
    ("scale", StandardScaler()),
    ("clf", LogisticRegression(C=C, max_iter=MAX_ITER, solver=SOLVER)),
])
pipeline.fit(X_train, y_train)
predicted = pipeline.predict(X_valid)
valid_accuracy = accuracy_score(y_valid, predicted)
valid_f1 = f1_score(y_valid, predicted, average="macro")
print(f"valid accuracy: {valid_accuracy:.3f}")
print(f"valid macro f1: {valid_f1:.3f}")
