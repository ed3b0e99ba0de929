"""KernelRidge against SVR on a noisy sine, as in scikit-learn's miscellaneous/plot_kernel_ridge_regression.py:
both wrapped in GridSearchCV over `alpha`/`C` and RBF `gamma`, fit and predict times measured (kept in a
dict, not printed), support-vector fraction of the SVR, validation MSE for each, the better model kept and
scored on a test grid; joblib dump."""
import time

import joblib
import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVR

rng = np.random.RandomState(42)

# Generate sample data
X = 5 * rng.rand(3000, 1)
y = np.sin(X).ravel()
# Add noise to targets
y[::5] += 3 * (0.5 - rng.rand(X.shape[0] // 5))
X_plot = np.linspace(0, 5, 2000)[:, None]
y_plot = np.sin(X_plot).ravel()

train_size = 100
X_val, y_val = X[2000:], y[2000:]

svr = GridSearchCV(SVR(kernel="rbf", gamma=0.1), param_grid={"C": [1e0, 1e1, 1e2, 1e3], "gamma": np.logspace(-2, 2, 5)})
kr = GridSearchCV(KernelRidge(kernel="rbf", gamma=0.1), param_grid={"alpha": [1e0, 0.1, 1e-2, 1e-3], "gamma": np.logspace(-2, 2, 5)})

t0 = time.time()
svr.fit(X[:train_size], y[:train_size])
svr_fit = time.time() - t0
print(f"Best SVR with params: {svr.best_params_} and R2 score: {svr.best_score_:.3f}")

t0 = time.time()
kr.fit(X[:train_size], y[:train_size])
kr_fit = time.time() - t0
print(f"Best KRR with params: {kr.best_params_} and R2 score: {kr.best_score_:.3f}")

sv_ratio = svr.best_estimator_.support_.shape[0] / train_size
print(f"Support vector ratio: {sv_ratio:.3f}")

t0 = time.time()
y_svr = svr.predict(X_val)
svr_predict = time.time() - t0
t0 = time.time()
y_kr = kr.predict(X_val)
kr_predict = time.time() - t0
timings = {"svr_fit": svr_fit, "krr_fit": kr_fit, "svr_predict": svr_predict, "krr_predict": kr_predict}

val_mse = {"svr": mean_squared_error(y_val, y_svr), "krr": mean_squared_error(y_val, y_kr)}
print("validation MSE:", {k: round(v, 4) for k, v in val_mse.items()})
best_name = min(val_mse, key=val_mse.get)
best = {"svr": svr, "krr": kr}[best_name].best_estimator_
print(f"kept {best_name}; MSE against the noise-free sine on the test grid: "
      f"{mean_squared_error(y_plot, best.predict(X_plot)):.4f}")
joblib.dump(best, f"best_{best_name}.joblib")
