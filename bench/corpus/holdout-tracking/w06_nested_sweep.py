"""Two nested loops sweep learning rate and depth."""
from sklearn.datasets import load_digits
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.model_selection import train_test_split

X, y = load_digits(return_X_y=True)
X, y = X[:600], y[:600]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
results = []
for lr in (0.1, 0.3):
    for depth in (1, 2):
        gbc = GradientBoostingClassifier(learning_rate=lr, max_depth=depth, n_estimators=20, random_state=0)
        gbc.fit(X_tr, y_tr)
        acc = gbc.score(X_te, y_te)
        results.append((lr, depth, acc))
        print(f"lr={lr} depth={depth} acc={acc:.3f}")
best = max(results, key=lambda r: r[2])
print("best", best)
