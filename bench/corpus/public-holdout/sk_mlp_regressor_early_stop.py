"""MLPRegressor with early_stopping on a friedman1 problem; loss curve length and scores reported."""
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

SETTINGS = {
    "hidden_layer_sizes": (32, 16),
    "alpha": 1e-3,
    "learning_rate_init": 3e-3,
    "max_iter": 300,
    "early_stopping": True,
    "validation_fraction": 0.15,
    "n_iter_no_change": 15,
    "random_state": 6,
}


def train_and_score():
    X, y = make_friedman1(n_samples=800, noise=0.5, random_state=6)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=6)
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", MLPRegressor(**SETTINGS))])
    pipe.fit(X_train, y_train)
    mlp = pipe.named_steps["mlp"]
    print("epochs run:", mlp.n_iter_)
    print("best validation R2:", round(mlp.best_validation_score_, 4))
    print("final training loss:", round(mlp.loss_curve_[-1], 4))
    r2 = pipe.score(X_test, y_test)
    print("test R2:", round(r2, 4))
    return pipe, r2


if __name__ == "__main__":
    train_and_score()
