"""numpy-only: closed-form ridge regression with a hold-out split and a results dict."""
import numpy as np

config = {"alpha": 1.0, "n_samples": 150, "seed": 3}

rng = np.random.default_rng(config["seed"])
X = rng.normal(size=(config["n_samples"], 5))
y = X @ rng.normal(size=5) + 0.2 * rng.normal(size=config["n_samples"])
X_train, X_test, y_train, y_test = X[:120], X[120:], y[:120], y[120:]
w = np.linalg.solve(X_train.T @ X_train + config["alpha"] * np.eye(5), X_train.T @ y_train)
pred = X_test @ w
results = {"mse": float(np.mean((pred - y_test) ** 2)), "mae": float(np.mean(np.abs(pred - y_test)))}
print(results)
