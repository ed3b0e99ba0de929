"""Five-fold cross-validation of a scaled k-nearest-neighbours classifier on the wine data."""
import optuna
from sklearn.datasets import load_wine
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

N_NEIGHBORS = 7
WEIGHTS = "distance"

X, y = load_wine(return_X_y=True)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)


def make_pipe(n_neighbors, weights):
    return Pipeline(
        [
            ("scale", StandardScaler()),
            ("knn", KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights)),
        ]
    )


def objective(trial):
    n_neighbors = trial.suggest_int("n_neighbors", 1, 25)
    weights = trial.suggest_categorical("weights", ["uniform", "distance"])
    return cross_val_score(make_pipe(n_neighbors, weights), X, y, cv=cv, scoring="accuracy").mean()


optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.create_study(direction="maximize", study_name="wine-knn")
study.optimize(objective, n_trials=10)
print("Best hyperparameters:", study.best_params)

N_NEIGHBORS = study.best_params["n_neighbors"]
WEIGHTS = study.best_params["weights"]
pipe = make_pipe(N_NEIGHBORS, WEIGHTS)
scores = cross_val_score(pipe, X, y, cv=cv, scoring="accuracy")
print("fold scores:", [round(float(s), 3) for s in scores])
print(f"CV accuracy: {scores.mean():.4f} +/- {scores.std():.4f}")
