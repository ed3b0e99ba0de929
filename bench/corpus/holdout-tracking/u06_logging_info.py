"""A KNN classifier that reports through the logging module."""
import logging

from sklearn.datasets import load_wine
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

logging.basicConfig(level=logging.INFO, format="%(message)s")
log = logging.getLogger("knn")

N_NEIGHBORS = 7
WEIGHTS = "distance"


def run():
    X, y = load_wine(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, stratify=y, random_state=0)
    pipe = make_pipeline(MinMaxScaler(), KNeighborsClassifier(n_neighbors=N_NEIGHBORS, weights=WEIGHTS))
    pipe.fit(X_tr, y_tr)
    bal_acc = balanced_accuracy_score(y_te, pipe.predict(X_te))
    log.info("balanced accuracy: %.3f", bal_acc)


if __name__ == "__main__":
    run()
