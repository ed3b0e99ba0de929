"""Semi-supervised digits with label propagation, in the shape of the scikit-learn examples
`semi_supervised/plot_label_propagation_digits*.py`: most labels hidden (`-1`), `LabelSpreading(kernel="knn",
n_neighbors=..., alpha=...)` vs `LabelPropagation(kernel="rbf", gamma=...)`, `transduction_` accuracy on the hidden
points, `label_distributions_` entropy to find the most uncertain points, an active-learning loop that reveals the
5 most uncertain labels for `max_iterations` rounds, a labelled-only baseline (`SVC`), final inductive evaluation
on a held-out test set and the last model saved with joblib. Logging to stdout."""
import logging
import sys

import joblib
import numpy as np
from scipy import stats
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, classification_report
from sklearn.model_selection import train_test_split
from sklearn.semi_supervised import LabelPropagation, LabelSpreading
from sklearn.svm import SVC

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("label_spreading")

N_LABELED = 40
MAX_ITERATIONS = 5
REVEAL_PER_ITER = 5
SEED = 2


def fit_models(X, y_semi, n_neighbors=7, alpha=0.2, gamma=2.0):
    spreading = LabelSpreading(kernel="knn", n_neighbors=n_neighbors, alpha=alpha, max_iter=50)
    propagation = LabelPropagation(kernel="rbf", gamma=gamma, max_iter=30)
    spreading.fit(X, y_semi)
    propagation.fit(X, y_semi)
    return spreading, propagation


def main():
    digits = load_digits()
    X = digits.data / 16.0
    y = digits.target
    X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, random_state=SEED, stratify=y)
    rng = np.random.RandomState(SEED)
    indices = rng.permutation(len(X_pool))
    labeled = set(indices[:N_LABELED].tolist())
    log.info("pool %d points, %d labelled at start, test %d", len(X_pool), N_LABELED, len(X_test))

    baseline = SVC(gamma="scale").fit(X_pool[sorted(labeled)], y_pool[sorted(labeled)])
    log.info("labelled-only SVC test accuracy %.4f", accuracy_score(y_test, baseline.predict(X_test)))

    for i in range(MAX_ITERATIONS):
        y_semi = np.full(len(X_pool), -1)
        lab = np.array(sorted(labeled))
        y_semi[lab] = y_pool[lab]
        unlabeled = np.setdiff1d(np.arange(len(X_pool)), lab)
        spreading, propagation = fit_models(X_pool, y_semi)
        acc_s = accuracy_score(y_pool[unlabeled], spreading.transduction_[unlabeled])
        acc_p = accuracy_score(y_pool[unlabeled], propagation.transduction_[unlabeled])
        log.info("iteration %d: %d labels, transductive accuracy spreading %.4f propagation %.4f",
                 i, len(lab), acc_s, acc_p)
        pred_entropies = stats.distributions.entropy(spreading.label_distributions_.T)
        uncertainty_index = [j for j in np.argsort(pred_entropies)[::-1] if j in set(unlabeled.tolist())]
        labeled.update(int(j) for j in uncertainty_index[:REVEAL_PER_ITER])

    best_name, best_model = max((("spreading", spreading), ("propagation", propagation)),
                                key=lambda kv: accuracy_score(y_pool[unlabeled], kv[1].transduction_[unlabeled]))
    log.info("kept %s", best_name)
    y_pred = best_model.predict(X_test)
    log.info("test accuracy %.4f", accuracy_score(y_test, y_pred))
    print(classification_report(y_test, y_pred, digits=3))
    joblib.dump(best_model, "label_spreading.joblib")


if __name__ == "__main__":
    main()
