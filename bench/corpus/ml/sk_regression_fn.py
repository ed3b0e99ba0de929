"""Functions for loading, training and evaluating a random forest regressor."""
from sklearn.datasets import make_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 20
MAX_FEATURES = 0.5


def load_data():
    X, y = make_regression(n_samples=300, n_features=8, noise=5.0, random_state=0)
    return train_test_split(X, y, random_state=0)


def train(X, y):
    model = RandomForestRegressor(n_estimators=N_ESTIMATORS, max_features=MAX_FEATURES, random_state=0)
    model.fit(X, y)
    return model


def evaluate(model, X, y):
    return mean_squared_error(y, model.predict(X))


if __name__ == "__main__":
    X_train, X_test, y_train, y_test = load_data()
    model = train(X_train, y_train)
    rmse = evaluate(model, X_test, y_test) ** 0.5
    print(f"rmse: {rmse:.3f}")
