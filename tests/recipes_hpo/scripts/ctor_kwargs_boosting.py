"""Literal constructor keywords of a gradient boosting regressor; the test MSE is printed."""
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=2)
reg = GradientBoostingRegressor(n_estimators=30, learning_rate=0.1, max_depth=3, subsample=0.8, random_state=0)
reg.fit(X_train, y_train)
mse = mean_squared_error(y_test, reg.predict(X_test))
print("test MSE: %.2f" % mse)  # noqa: UP031
