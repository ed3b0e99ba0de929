"""LGBMClassifier on breast cancer with early stopping on a validation split, results via logging."""
import logging

import lightgbm as lgb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(levelname)s - %(message)s")
logger = logging.getLogger(__name__)

PARAMS = dict(n_estimators=400, learning_rate=0.05, num_leaves=7, colsample_bytree=0.8,
              reg_alpha=0.1, random_state=21, n_jobs=1, verbose=-1)


def run():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=21)
    X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2,
                                                      random_state=21)
    clf = lgb.LGBMClassifier(**PARAMS)
    clf.fit(X_train, y_train, eval_set=[(X_val, y_val)], eval_metric="binary_logloss",
            callbacks=[lgb.early_stopping(stopping_rounds=25, verbose=False)])
    logger.info("best iteration: %d", clf.best_iteration_)
    proba = clf.predict_proba(X_test)[:, 1]
    logger.info("test auc: %.4f", roc_auc_score(y_test, proba))
    logger.info("test f1: %.4f", f1_score(y_test, proba > 0.5))
    return clf


if __name__ == "__main__":
    run()
