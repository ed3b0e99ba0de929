"""An RBF support-vector classifier on the wine data, configured by a dataclass."""
from dataclasses import dataclass, replace

import optuna
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


@dataclass
class TrainConfig:
    C: float = 1.5
    gamma: float = 0.05
    kernel: str = "rbf"
    test_size: float = 0.3
    seed: int = 7


def run(cfg: TrainConfig) -> float:
    X, y = load_wine(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=cfg.test_size, random_state=cfg.seed, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    clf = SVC(C=cfg.C, gamma=cfg.gamma, kernel=cfg.kernel)
    clf.fit(scaler.transform(X_train), y_train)
    acc = accuracy_score(y_test, clf.predict(scaler.transform(X_test)))
    print(f"test accuracy: {acc:.4f}")
    return acc


def tune(base: TrainConfig, n_trials: int = 10) -> TrainConfig:
    X, y = load_wine(return_X_y=True)
    # tune on the training part only; the test split stays unseen until the final run
    X_train, _, y_train, _ = train_test_split(
        X, y, test_size=base.test_size, random_state=base.seed, stratify=y
    )

    def objective(trial):
        cfg = replace(
            base,
            C=trial.suggest_float("C", 1e-2, 1e2, log=True),
            gamma=trial.suggest_float("gamma", 1e-3, 1.0, log=True),
        )
        model = make_pipeline(StandardScaler(), SVC(C=cfg.C, gamma=cfg.gamma, kernel=cfg.kernel))
        return cross_val_score(model, X_train, y_train, cv=3).mean()

    study = optuna.create_study(direction="maximize")
    study.optimize(objective, n_trials=n_trials)
    print("best params:", study.best_params)
    print(f"best cv accuracy: {study.best_value:.4f}")
    return replace(base, **study.best_params)


if __name__ == "__main__":
    run(tune(TrainConfig()))
