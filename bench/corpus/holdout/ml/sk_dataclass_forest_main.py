"""Extra-trees classifier configured by a frozen dataclass, run from main() with a results dict."""
from dataclasses import dataclass

from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


@dataclass(frozen=True)
class ForestConfig:
    n_estimators: int = 60
    max_depth: int = 6
    min_samples_leaf: int = 2
    criterion: str = "gini"
    random_state: int = 0


def main(cfg: ForestConfig) -> dict:
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=cfg.random_state)
    forest = ExtraTreesClassifier(
        n_estimators=cfg.n_estimators,
        max_depth=cfg.max_depth,
        min_samples_leaf=cfg.min_samples_leaf,
        criterion=cfg.criterion,
        random_state=cfg.random_state,
    )
    forest.fit(X_train, y_train)
    results = {
        "val_accuracy": forest.score(X_val, y_val),
        "val_auc": roc_auc_score(y_val, forest.predict_proba(X_val)[:, 1]),
    }
    print("results:", {k: round(v, 4) for k, v in results.items()})
    return results


if __name__ == "__main__":
    main(ForestConfig())
