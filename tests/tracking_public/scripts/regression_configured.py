"""A regression script that already configures MLflow (experiment name) but logs nothing yet."""
import mlflow
import numpy as np
from sklearn.datasets import make_regression
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

mlflow.set_experiment("regression-demo")

SEED = 42
N_ESTIMATORS = 40
LEARNING_RATE = 0.1

X, y = make_regression(n_samples=300, n_features=8, noise=0.3, random_state=SEED)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)
model = GradientBoostingRegressor(n_estimators=N_ESTIMATORS, learning_rate=LEARNING_RATE, random_state=SEED)
model.fit(X_train, y_train)
pred = model.predict(X_test)
rmse = float(np.sqrt(mean_squared_error(y_test, pred)))
r2 = r2_score(y_test, pred)
print(f"rmse={rmse:.4f} r2={r2:.4f}")
