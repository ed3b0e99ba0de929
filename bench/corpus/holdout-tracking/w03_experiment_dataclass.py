"""An Experiment class configured by a dataclass passed to its constructor."""
from dataclasses import dataclass

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC


@dataclass
class Settings:
    C: float = 0.5
    max_iter: int = 3000
    test_size: float = 0.25


class Experiment:
    def __init__(self, settings):
        self.settings = settings

    def run(self):
        X, y = load_breast_cancer(return_X_y=True)
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=self.settings.test_size, random_state=0)
        svc = LinearSVC(C=self.settings.C, max_iter=self.settings.max_iter)
        svc.fit(X_tr / X_tr.max(0), y_tr)
        return svc.score(X_te / X_tr.max(0), y_te)


if __name__ == "__main__":
    accuracy = Experiment(Settings()).run()
    print(f"accuracy = {accuracy:.4f}")
