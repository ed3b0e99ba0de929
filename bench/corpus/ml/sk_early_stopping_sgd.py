"""Per-epoch training with partial_fit and early stopping."""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

EPOCHS = 15
PATIENCE = 3
ALPHA = 0.0005

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=0)
clf = SGDClassifier(alpha=ALPHA, random_state=0)
classes = np.unique(y)
best, waited = 0.0, 0
for epoch in range(EPOCHS):
    clf.partial_fit(X_train, y_train, classes=classes)
    val_acc = accuracy_score(y_val, clf.predict(X_val))
    print(f"epoch {epoch} val_acc {val_acc:.3f}")
    if val_acc > best:
        best, waited = val_acc, 0
    else:
        waited += 1
        if waited >= PATIENCE:
            print("early stopping")
            break
print(f"best val_acc {best:.3f}")
