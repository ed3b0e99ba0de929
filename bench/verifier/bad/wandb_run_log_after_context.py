"""A dataclass config for an SVM on the wine data."""
import dataclasses
from dataclasses import dataclass

import wandb
from sklearn.datasets import load_wine
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


@dataclass
class Config:
    C: float = 2.0
    kernel: str = "rbf"
    gamma: str = "scale"
    test_size: float = 0.25


def main(cfg: Config) -> None:
    with wandb.init(project="wine-svc", config=dataclasses.asdict(cfg)) as run:
        X, y = load_wine(return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=cfg.test_size, random_state=3)
        scaler = StandardScaler().fit(X_train)
        model = SVC(C=cfg.C, kernel=cfg.kernel, gamma=cfg.gamma)
        model.fit(scaler.transform(X_train), y_train)
        acc = accuracy_score(y_test, model.predict(scaler.transform(X_test)))
        run.summary["acc"] = acc
        run.config["random_state"] = 3
        print("test accuracy:", round(acc, 4))
    run.log({"test_accuracy": acc})


if __name__ == "__main__":
    main(Config())
