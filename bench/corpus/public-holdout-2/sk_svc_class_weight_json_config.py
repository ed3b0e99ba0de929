"""An experiment configured by a JSON document (inline here, a config file in the original shape):
an SVC on imbalanced synthetic data trained with and without class_weight="balanced"; precision,
recall, F1 and ROC AUC of both collected into a results dict and dumped to results.json."""
import json

from sklearn.datasets import make_classification
from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

CONFIG_JSON = """
{
  "data": {"n_samples": 1200, "n_features": 12, "weights": [0.9, 0.1], "test_size": 0.3},
  "model": {"C": 2.0, "kernel": "rbf", "gamma": "scale"},
  "seed": 21
}
"""


def run(config):
    d, m = config["data"], config["model"]
    X, y = make_classification(n_samples=d["n_samples"], n_features=d["n_features"],
                               n_informative=6, weights=d["weights"], flip_y=0.02,
                               random_state=config["seed"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=d["test_size"], stratify=y,
                                                        random_state=config["seed"])
    results = {}
    for label, class_weight in (("plain", None), ("balanced", "balanced")):
        clf = make_pipeline(StandardScaler(), SVC(C=m["C"], kernel=m["kernel"], gamma=m["gamma"],
                                                  class_weight=class_weight, random_state=config["seed"]))
        clf.fit(X_train, y_train)
        pred = clf.predict(X_test)
        scores = clf.decision_function(X_test)
        results[label] = {
            "precision": round(precision_score(y_test, pred), 4),
            "recall": round(recall_score(y_test, pred), 4),
            "f1": round(f1_score(y_test, pred), 4),
            "roc_auc": round(roc_auc_score(y_test, scores), 4),
        }
    return results


if __name__ == "__main__":
    config = json.loads(CONFIG_JSON)
    results = run(config)
    print(json.dumps(results, indent=2, sort_keys=True))
    with open("results.json", "w") as fh:
        json.dump({"config": config, "results": results}, fh, indent=2)
