"""Five-fold cross-validation of a scaled k-nearest-neighbours classifier on the wine data."""
import mlflow
from sklearn.datasets import load_wine
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

N_NEIGHBORS = 7
WEIGHTS = "distance"

X, y = load_wine(return_X_y=True)
pipe = Pipeline(
    [
        ("scale", StandardScaler()),
        ("knn", KNeighborsClassifier(n_neighbors=N_NEIGHBORS, weights=WEIGHTS)),
    ]
)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
with mlflow.start_run(run_name="knn-cv"):
    mlflow.log_param("n_neighbors", N_NEIGHBORS)
    mlflow.log_param("weights", WEIGHTS)
    mlflow.log_param("cv_folds", cv.get_n_splits())
    scores = cross_val_score(pipe, X, y, cv=cv, scoring="accuracy")
    for fold, score in enumerate(scores):
        mlflow.log_metric("fold_accuracy", score, step=fold)
    mlflow.log_metric("cv_accuracy_mean", scores.mean())
    mlflow.log_metric("cv_accuracy_std", scores.std())
print("fold scores:", [round(float(s), 3) for s in scores])
print(f"CV accuracy: {scores.mean():.4f} +/- {scores.std():.4f}")
