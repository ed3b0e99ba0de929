"""Five-fold cross-validation of a scaled k-nearest-neighbours classifier on the wine data."""
import wandb
from sklearn.datasets import load_wine
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

N_NEIGHBORS = 7
WEIGHTS = "distance"

run = wandb.init(project="wine-knn", config={"n_neighbors": N_NEIGHBORS, "weights": WEIGHTS, "folds": 5})

X, y = load_wine(return_X_y=True)
pipe = Pipeline(
    [
        ("scale", StandardScaler()),
        ("knn", KNeighborsClassifier(n_neighbors=N_NEIGHBORS, weights=WEIGHTS)),
    ]
)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = cross_val_score(pipe, X, y, cv=cv, scoring="accuracy")
for fold, score in enumerate(scores):
    run.log({"fold": fold, "fold_accuracy": score})
run.summary["cv_accuracy_mean"] = scores.mean()
run.summary["cv_accuracy_std"] = scores.std()
print("fold scores:", [round(float(s), 3) for s in scores])
print(f"CV accuracy: {scores.mean():.4f} +/- {scores.std():.4f}")
run.finish()
