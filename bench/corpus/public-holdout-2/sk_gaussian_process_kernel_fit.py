"""Gaussian-process regression on a noisy 1-D function: a ConstantKernel * RBF + WhiteKernel with
initial length scale and bounds, n_restarts_optimizer, the learned kernel and log marginal
likelihood printed, test RMSE and the share of points inside the 95% band."""
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from sklearn.metrics import mean_squared_error

rng = np.random.RandomState(3)
X = np.sort(rng.uniform(0, 10, 80)).reshape(-1, 1)
y = np.sin(X).ravel() * X.ravel() / 4 + rng.normal(0, 0.3, X.shape[0])
X_test = np.linspace(0, 10, 200).reshape(-1, 1)
y_test = np.sin(X_test).ravel() * X_test.ravel() / 4

length_scale = 1.0
noise_level = 0.1
n_restarts = 2

kernel = ConstantKernel(1.0, (1e-2, 1e2)) * RBF(length_scale=length_scale, length_scale_bounds=(1e-2, 1e2)) \
    + WhiteKernel(noise_level=noise_level, noise_level_bounds=(1e-5, 1e1))
gp = GaussianProcessRegressor(kernel=kernel, n_restarts_optimizer=n_restarts, normalize_y=True,
                              random_state=0)
gp.fit(X, y)

print("learned kernel:", gp.kernel_)
print("log marginal likelihood: %.3f" % gp.log_marginal_likelihood(gp.kernel_.theta))
mean, std = gp.predict(X_test, return_std=True)
rmse = np.sqrt(mean_squared_error(y_test, mean))
coverage = np.mean(np.abs(y_test - mean) <= 1.96 * std)
print("test rmse: %.4f" % rmse)
print("95%% band coverage: %.3f" % coverage)
