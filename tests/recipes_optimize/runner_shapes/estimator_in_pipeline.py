"""A torch net behind a scikit-learn estimator interface, the last step of a pipeline."""
import joblib
import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from torch import nn


class NetRegressor(BaseEstimator, RegressorMixin):
    def __init__(self, width=16, epochs=80):
        self.width = width
        self.epochs = epochs

    def _make_net(self, n_in):
        return nn.Sequential(nn.Linear(n_in, self.width), nn.ReLU(), nn.Linear(self.width, 1))

    def fit(self, X, y):
        torch.manual_seed(0)
        X_t = torch.tensor(X, dtype=torch.float32)
        y_t = torch.tensor(y, dtype=torch.float32)[:, None]
        self.net_ = self._make_net(X_t.shape[1])
        opt = torch.optim.Adam(self.net_.parameters(), lr=0.02)
        for _ in range(self.epochs):
            opt.zero_grad()
            nn.functional.mse_loss(self.net_(X_t), y_t).backward()
            opt.step()
        return self

    def predict(self, X):
        with torch.no_grad():
            return self.net_(torch.tensor(X, dtype=torch.float32))[:, 0].numpy()


rng = np.random.default_rng(0)
X = rng.normal(size=(240, 4)) * 5
y = X[:, 0] - 0.5 * X[:, 2] + rng.normal(scale=0.1, size=240)
model = make_pipeline(MinMaxScaler(), NetRegressor())
model.fit(X[:180], y[:180])
reg = model[-1]
print(f"r2 on held-out rows: {model.score(X[180:], y[180:]):.3f}")
joblib.dump(model, "regressor.joblib")
