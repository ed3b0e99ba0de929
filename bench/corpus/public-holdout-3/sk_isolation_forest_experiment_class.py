"""Anomaly detection with IsolationForest, organised as an experiment class.

Inliers are two Gaussian blobs, outliers are uniform noise. The forest is fitted on unlabeled
training data; the labels are only used to score: ROC AUC of -score_samples on a validation
split and on a test split, and precision/recall of predict() at the chosen contamination.
"""
import joblib
import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split


class AnomalyExperiment:
    def __init__(self, n_estimators=100, max_samples=128, contamination=0.1, max_features=1.0, seed=13):
        self.params = {
            "n_estimators": n_estimators,
            "max_samples": max_samples,
            "contamination": contamination,
            "max_features": max_features,
        }
        self.seed = seed
        self.model = None

    def make_data(self):
        rng = np.random.RandomState(self.seed)
        inliers = np.vstack([
            0.4 * rng.randn(500, 2) + np.array([2, 2]),
            0.4 * rng.randn(500, 2) + np.array([-2, -2]),
        ])
        outliers = rng.uniform(low=-5, high=5, size=(110, 2))
        X = np.vstack([inliers, outliers])
        y = np.r_[np.zeros(len(inliers), dtype=int), np.ones(len(outliers), dtype=int)]
        X_train, X_rest, y_train, y_rest = train_test_split(X, y, test_size=0.4, stratify=y, random_state=self.seed)
        X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.5, stratify=y_rest,
                                                        random_state=self.seed)
        return (X_train, y_train), (X_val, y_val), (X_test, y_test)

    def fit(self, X_train):
        self.model = IsolationForest(random_state=self.seed, **self.params)
        self.model.fit(X_train)
        return self

    def score(self, X, y):
        anomaly_score = -self.model.score_samples(X)
        flagged = (self.model.predict(X) == -1).astype(int)
        return {
            "roc_auc": roc_auc_score(y, anomaly_score),
            "precision": precision_score(y, flagged, zero_division=0),
            "recall": recall_score(y, flagged),
        }

    def run(self):
        (X_train, y_train), (X_val, y_val), (X_test, y_test) = self.make_data()
        print(f"train {len(X_train)} rows ({y_train.sum()} outliers), val {len(X_val)}, test {len(X_test)}")
        self.fit(X_train)
        val = self.score(X_val, y_val)
        test = self.score(X_test, y_test)
        print("validation: " + ", ".join(f"{k} {v:.4f}" for k, v in val.items()))
        print("test:       " + ", ".join(f"{k} {v:.4f}" for k, v in test.items()))
        joblib.dump(self.model, "isolation_forest.joblib")
        return val, test


if __name__ == "__main__":
    experiment = AnomalyExperiment(n_estimators=100, max_samples=128, contamination=0.1)
    print("params:", experiment.params)
    experiment.run()
