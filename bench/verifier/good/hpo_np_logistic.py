"""numpy-only: logistic regression with functions and an L2 penalty."""
import numpy as np
import optuna

TRIAL = None  # the Optuna trial being run


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def train(X, y, lr=0.5, epochs=100, l2=0.01):
    w = np.zeros(X.shape[1])
    for _ in range(epochs):
        p = sigmoid(X @ w)
        w -= lr * (X.T @ (p - y) / len(y) + l2 * w)
    return w


def main():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] - X[:, 2] > 0).astype(float)
    w = train(X[:240], y[:240], lr=TRIAL.suggest_float("lr", 0.05, 2.0, log=True), epochs=100, l2=TRIAL.suggest_float("l2", 1e-4, 0.1, log=True))
    accuracy = float(np.mean((sigmoid(X[240:] @ w) > 0.5) == y[240:]))
    print(f"accuracy: {accuracy:.3f}")
    return accuracy


def objective(trial):
    global TRIAL
    TRIAL = trial
    return main()


if __name__ == "__main__":
    study = optuna.create_study(direction="maximize")
    study.optimize(objective, n_trials=20)
    print("best params:", study.best_params)
    TRIAL = optuna.trial.FixedTrial(study.best_params)
    main()
