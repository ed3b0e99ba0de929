"""An RBF support-vector classifier on the wine data, configured by a dataclass."""
from dataclasses import asdict, dataclass

import wandb
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
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
    with wandb.init(project="wine-svc", job_type="train", config=asdict(cfg)) as wb_run:
        X, y = load_wine(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=cfg.test_size, random_state=cfg.seed, stratify=y
        )
        scaler = StandardScaler().fit(X_train)
        clf = SVC(C=cfg.C, gamma=cfg.gamma, kernel=cfg.kernel)
        clf.fit(scaler.transform(X_train), y_train)
        acc = accuracy_score(y_test, clf.predict(scaler.transform(X_test)))
        wb_run.log({"test_accuracy": acc})
        print(f"test accuracy: {acc:.4f}")
    return acc


if __name__ == "__main__":
    run(TrainConfig())
