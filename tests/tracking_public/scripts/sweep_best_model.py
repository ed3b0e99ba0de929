"""Trains one model per regularisation strength and keeps the best on the validation split."""
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=0)

best_score = 0.0
best_model = None
for C in [0.01, 0.1, 1.0]:
    clf = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=500))
    clf.fit(X_train, y_train)
    score = accuracy_score(y_val, clf.predict(X_val))
    print(f"C={C}: accuracy={score:.4f}")
    if score > best_score:
        best_score = score
        best_model = clf

f1_macro = f1_score(y_val, best_model.predict(X_val), average="macro")
print(f"best accuracy={best_score:.4f} f1_macro={f1_macro:.4f}")
