"""Semi-supervised learning: SelfTrainingClassifier around a logistic regression, most labels hidden.

Unlabeled rows carry the label -1. The script logs (to stdout) how many labels were given,
how many the self-training loop added, and the test accuracy against the same classifier
fitted on the labeled rows only.
"""
import logging
import sys

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(name)s - %(message)s")
logger = logging.getLogger("self_training")

LABELED_FRACTION = 0.1
THRESHOLD = 0.9
MAX_ITER = 10
C = 0.5
SEED = 4

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=SEED, stratify=y)

rng = np.random.RandomState(SEED)
y_partial = np.copy(y_train)
hidden = rng.rand(len(y_train)) > LABELED_FRACTION
y_partial[hidden] = -1
logger.info("labeled rows: %d of %d", int((y_partial != -1).sum()), len(y_partial))

base = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))
self_training = SelfTrainingClassifier(base, threshold=THRESHOLD, max_iter=MAX_ITER)
self_training.fit(X_train, y_partial)

added = int((self_training.labeled_iter_ > 0).sum())
logger.info("stopped because: %s after %d iterations", self_training.termination_condition_,
            self_training.n_iter_)
logger.info("pseudo-labels added: %d", added)
logger.info("self-training test accuracy: %.4f", self_training.score(X_test, y_test))

supervised = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))
supervised.fit(X_train[~hidden], y_train[~hidden])
logger.info("labeled-only test accuracy: %.4f", supervised.score(X_test, y_test))

joblib.dump(self_training, "self_training_logreg.joblib")
