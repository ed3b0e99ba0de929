"""A random-forest regressor on the diabetes data, scored by mean squared error."""
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

n_estimators = 50
max_depth = 6
max_features = 3

rf = RandomForestRegressor(
    n_estimators=n_estimators, max_depth=max_depth, max_features=max_features, random_state=42
)
rf.fit(X_train, y_train)

mse = mean_squared_error(y_test, rf.predict(X_test))
print(f"MSE: {mse:.2f}")
