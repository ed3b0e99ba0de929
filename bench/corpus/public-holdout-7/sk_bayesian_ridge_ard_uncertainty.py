"""Bayesian linear regression with uncertainty, in the shape of the scikit-learn examples `plot_ard.py` and
`plot_bayesian_ridge_curvefit.py`: a noisy cubic with many irrelevant columns, polynomial features of x only (a
`ColumnTransformer`, the other columns passed through), `OLS`, `BayesianRidge` (`alpha_init`/`lambda_init`,
`compute_score=True`, `scores_`) and `ARDRegression` (`threshold_lambda`) in a `models` dict,
`predict(return_std=True)` coverage of the +/-1.96 std interval, learned `alpha_`/`lambda_`, non-zero coefficient
counts, `cross_val_score` (neg RMSE, `KFold`) on the training part for the choice, test RMSE and coverage, `pickle` of
the chosen model."""
import pickle

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import ARDRegression, BayesianRidge, LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

rng = np.random.RandomState(8)
n_samples, n_noise = 400, 20
x = rng.uniform(-2, 2, size=(n_samples, 1))
noise_cols = rng.normal(size=(n_samples, n_noise))
y = 0.5 * x[:, 0] ** 3 - x[:, 0] ** 2 + 2.0 * x[:, 0] + noise_cols[:, 0] * 0.8 + rng.normal(0, 0.6, n_samples)
X = np.hstack([x, noise_cols])

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=8)


def poly_pipeline(estimator, degree=3):
    # polynomial terms of x only; the other columns pass through unchanged
    expand = ColumnTransformer([("poly", PolynomialFeatures(degree=degree, include_bias=False), [0])],
                               remainder="passthrough")
    return make_pipeline(expand, StandardScaler(), estimator)


models = {
    "OLS": poly_pipeline(LinearRegression()),
    "BayesianRidge": poly_pipeline(BayesianRidge(alpha_init=1.0, lambda_init=1e-3, compute_score=True,
                                                 max_iter=300)),
    "ARD": poly_pipeline(ARDRegression(threshold_lambda=1e4, max_iter=300)),
}

cv = KFold(n_splits=4, shuffle=True, random_state=8)
cv_rmse = {}
for name, model in models.items():
    scores = cross_val_score(model, X_train, y_train, cv=cv, scoring="neg_root_mean_squared_error")
    cv_rmse[name] = -scores.mean()
    model.fit(X_train, y_train)
    est = model[-1]
    nnz = int(np.sum(np.abs(est.coef_) > 1e-3))
    line = f"{name:14s} CV RMSE {cv_rmse[name]:.4f} +/- {scores.std():.4f}  non-zero coefs {nnz}/{est.coef_.size}"
    if hasattr(est, "alpha_"):
        line += f"  alpha_ {est.alpha_:.3f}  lambda_ {np.mean(est.lambda_):.3g}"
    print(line)

print(f"BayesianRidge log marginal likelihood (last) {models['BayesianRidge'][-1].scores_[-1]:.2f}")

best_name = min(cv_rmse, key=cv_rmse.get)
best = models[best_name]
print(f"chosen: {best_name}")
if best_name == "OLS":
    pred = best.predict(X_test)
    coverage = float("nan")
else:
    pred, std = best.predict(X_test, return_std=True)
    coverage = float(np.mean(np.abs(y_test - pred) <= 1.96 * std))
print(f"test RMSE {mean_squared_error(y_test, pred) ** 0.5:.4f}, 95% interval coverage {coverage:.3f}")
for name in ("BayesianRidge", "ARD"):
    p, s = models[name].predict(X_test, return_std=True)
    print(f"{name}: test RMSE {mean_squared_error(y_test, p) ** 0.5:.4f} mean std {s.mean():.4f} "
          f"coverage {np.mean(np.abs(y_test - p) <= 1.96 * s):.3f}")
with open("bayes_linear.pkl", "wb") as fh:
    pickle.dump(best, fh)
