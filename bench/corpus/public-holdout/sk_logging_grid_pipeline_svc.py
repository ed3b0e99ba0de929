"""GridSearchCV over a scaler+SVC pipeline on wine; every result reported through the logging module."""
import logging
import sys

from sklearn.datasets import load_wine
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="[%(levelname)s] %(message)s")
LOGGER = logging.getLogger(__name__)

RANDOM_STATE = 5
PARAM_GRID = {"svc__C": [0.1, 1, 10], "svc__gamma": ["scale", 0.01, 0.1]}


def build_pipeline():
    return Pipeline([("scaler", StandardScaler()), ("svc", SVC(kernel="rbf"))])


def main():
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                        random_state=RANDOM_STATE)
    cv = StratifiedKFold(n_splits=4, shuffle=True, random_state=RANDOM_STATE)
    grid = GridSearchCV(build_pipeline(), PARAM_GRID, cv=cv, scoring="balanced_accuracy")
    grid.fit(X_train, y_train)
    for params, score in zip(grid.cv_results_["params"], grid.cv_results_["mean_test_score"]):
        LOGGER.info("cv %.4f for %s", score, params)
    LOGGER.info("best params: %s", grid.best_params_)
    LOGGER.info("best cv score: %.4f", grid.best_score_)
    test_score = balanced_accuracy_score(y_test, grid.predict(X_test))
    LOGGER.info("test balanced accuracy: %.4f", test_score)


if __name__ == "__main__":
    main()
