"""Gradient boosting regression; a function trains and returns a dict of metrics."""
from sklearn.datasets import load_diabetes
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


def train_and_score(n_estimators=80, learning_rate=0.1, max_depth=3, subsample=0.8):
    X, y = load_diabetes(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=42)
    model = GradientBoostingRegressor(
        n_estimators=n_estimators,
        learning_rate=learning_rate,
        max_depth=max_depth,
        subsample=subsample,
        random_state=42,
    )
    model.fit(X_tr, y_tr)
    pred = model.predict(X_te)
    return {
        "test_rmse": mean_squared_error(y_te, pred) ** 0.5,
        "test_mae": mean_absolute_error(y_te, pred),
        "test_r2": r2_score(y_te, pred),
    }


if __name__ == "__main__":
    results = train_and_score()
    for key in sorted(results):
        print(f"{key}: {results[key]:.3f}")
