"""Prediction intervals from gradient boosting with the quantile loss.

A yaml-like nested dict holds the settings. Three GradientBoostingRegressor models are fitted
(alpha 0.05, 0.5 and 0.95); the interval coverage and the pinball loss of each are printed,
along with the mean squared error of a least-squares model for comparison.
"""
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_pinball_loss, mean_squared_error
from sklearn.model_selection import train_test_split

CONFIG = {
    "data": {"n_samples": 1000, "noise_scale": 1.5, "seed": 42},
    "model": {
        "n_estimators": 150,
        "max_depth": 3,
        "learning_rate": 0.05,
        "min_samples_leaf": 9,
        "min_samples_split": 9,
    },
    "quantiles": [0.05, 0.5, 0.95],
}


def f(x):
    """The function to predict."""
    return x * np.sin(x)


rng = np.random.RandomState(CONFIG["data"]["seed"])
X = np.atleast_2d(rng.uniform(0, 10.0, size=CONFIG["data"]["n_samples"])).T
expected_y = f(X).ravel()
sigma = 0.5 + X.ravel() / 10
noise = rng.lognormal(sigma=sigma) - np.exp(sigma ** 2 / 2)
y = expected_y + CONFIG["data"]["noise_scale"] * noise
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

all_models = {}
common_params = CONFIG["model"]
for alpha in CONFIG["quantiles"]:
    gbr = GradientBoostingRegressor(loss="quantile", alpha=alpha, random_state=0, **common_params)
    all_models["q %1.2f" % alpha] = gbr.fit(X_train, y_train)

gbr_ls = GradientBoostingRegressor(loss="squared_error", random_state=0, **common_params)
all_models["mse"] = gbr_ls.fit(X_train, y_train)

for alpha in CONFIG["quantiles"]:
    name = "q %1.2f" % alpha
    loss = mean_pinball_loss(y_test, all_models[name].predict(X_test), alpha=alpha)
    print(f"{name}: pinball loss on test {loss:.4f}")
print(f"mse model: test MSE {mean_squared_error(y_test, all_models['mse'].predict(X_test)):.4f}")


def coverage_fraction(y, y_low, y_high):
    return np.mean(np.logical_and(y >= y_low, y <= y_high))


low, high = all_models["q 0.05"], all_models["q 0.95"]
print("train coverage: %.4f" % coverage_fraction(y_train, low.predict(X_train), high.predict(X_train)))
print("test coverage:  %.4f" % coverage_fraction(y_test, low.predict(X_test), high.predict(X_test)))
print("mean interval width (test): %.4f" % np.mean(high.predict(X_test) - low.predict(X_test)))
