"""A random-forest regressor on the diabetes data, scored by mean squared error."""
import optuna
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import cross_val_score, train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

n_estimators = 50
max_depth = 6
max_features = 3


def objective(trial):
    forest = RandomForestRegressor(
        n_estimators=trial.suggest_int("n_estimators", 20, 80),
        max_depth=trial.suggest_int("max_depth", 2, 10),
        max_features=trial.suggest_int("max_features", 1, 10),
        random_state=42,
    )
    # sklearn's scorers are "greater is better", so the MSE comes back negated: maximise it
    score = cross_val_score(forest, X_train, y_train, cv=3, scoring="neg_mean_squared_error")
    return score.mean()


study = optuna.create_study(direction="maximize")
study.optimize(objective, n_trials=6)
print("Best params:", study.best_params)
n_estimators = study.best_params["n_estimators"]
max_depth = study.best_params["max_depth"]
max_features = study.best_params["max_features"]

rf = RandomForestRegressor(
    n_estimators=n_estimators, max_depth=max_depth, max_features=max_features, random_state=42
)
rf.fit(X_train, y_train)

mse = mean_squared_error(y_test, rf.predict(X_test))
print(f"MSE: {mse:.2f}")
