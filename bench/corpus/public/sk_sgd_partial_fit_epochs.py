"""SGDClassifier trained epoch by epoch with partial_fit, manual patience on validation accuracy."""
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

EPOCHS = 30
PATIENCE = 4
ALPHA = 1e-4
BATCH = 128

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=0)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
classes = np.unique(y)
rng = np.random.RandomState(0)

clf = SGDClassifier(loss="log_loss", alpha=ALPHA, learning_rate="optimal", random_state=0)
best_acc, bad_epochs = 0.0, 0
for epoch in range(EPOCHS):
    order = rng.permutation(len(X_train))
    for start in range(0, len(order), BATCH):
        idx = order[start:start + BATCH]
        clf.partial_fit(X_train[idx], y_train[idx], classes=classes)
    train_acc = clf.score(X_train, y_train)
    val_acc = clf.score(X_val, y_val)
    print(f"epoch {epoch:2d} train_acc {train_acc:.4f} val_acc {val_acc:.4f}")
    if val_acc > best_acc:
        best_acc, bad_epochs = val_acc, 0
    else:
        bad_epochs += 1
        if bad_epochs >= PATIENCE:
            print(f"stopping after epoch {epoch}")
            break

print(f"best val accuracy: {best_acc:.4f}")
