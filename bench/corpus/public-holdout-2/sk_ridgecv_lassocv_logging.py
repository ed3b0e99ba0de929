"""Linear-model comparison with functions and the logging module: load_data(), build_models()
returning RidgeCV and LassoCV over a logspace grid of alphas, evaluate() returning a dict, the
chosen alpha and the test RMSE/R2 logged; the best model kept with joblib."""
import logging
import sys

import joblib
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LassoCV, RidgeCV
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

logger = logging.getLogger(__name__)

ALPHAS = np.logspace(-3, 2, 20)
TEST_SIZE = 0.3
DEGREE = 2
SEED = 4


def load_data():
    X, y = load_diabetes(return_X_y=True)
    return train_test_split(X, y, test_size=TEST_SIZE, random_state=SEED)


def build_models():
    def pipe(reg):
        return Pipeline([
            ("poly", PolynomialFeatures(degree=DEGREE, include_bias=False)),
            ("scale", StandardScaler()),
            ("reg", reg),
        ])

    return {
        "ridge": pipe(RidgeCV(alphas=ALPHAS)),
        "lasso": pipe(LassoCV(alphas=ALPHAS, cv=5, max_iter=20000, random_state=SEED)),
    }


def evaluate(model, X_test, y_test):
    pred = model.predict(X_test)
    return {"rmse": float(np.sqrt(mean_squared_error(y_test, pred))), "r2": float(r2_score(y_test, pred))}


def main():
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(name)s: %(message)s")
    X_train, X_test, y_train, y_test = load_data()
    scores = {}
    models = build_models()
    for name, model in models.items():
        model.fit(X_train, y_train)
        scores[name] = evaluate(model, X_test, y_test)
        logger.info("%s alpha=%.4f rmse=%.3f r2=%.4f", name, model.named_steps["reg"].alpha_,
                    scores[name]["rmse"], scores[name]["r2"])
        n_nonzero = int(np.sum(model.named_steps["reg"].coef_ != 0))
        logger.info("%s non-zero coefficients: %d", name, n_nonzero)
    best = min(scores, key=lambda k: scores[k]["rmse"])
    logger.info("best model: %s", best)
    joblib.dump(models[best], "best_linear.joblib")


if __name__ == "__main__":
    main()
