"""Gradient boosting regression with a params dict splatted into the constructor."""
from sklearn.datasets import fetch_california_housing, load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import train_test_split

params = dict(n_estimators=60, learning_rate=0.1, max_depth=3, subsample=0.9, random_state=3)

X, y = load_diabetes(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=3)
gbr = GradientBoostingRegressor(**params)
gbr.fit(X_train, y_train)
rmse = mean_squared_error(y_val, gbr.predict(X_val)) ** 0.5
mae = mean_absolute_error(y_val, gbr.predict(X_val))
print("rmse", round(rmse, 3))
print("mae", round(mae, 3))
