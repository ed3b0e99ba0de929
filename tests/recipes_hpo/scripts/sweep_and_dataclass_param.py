"""A dataclass config passed inline to main(), and a manual sweep over n_neighbors."""
from dataclasses import dataclass

from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


@dataclass
class Settings:
    weights: str = "uniform"
    leaf_size: int = 30


def main(settings: Settings) -> None:
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=4)
    for k in [3, 5, 9]:
        knn = KNeighborsClassifier(n_neighbors=k, weights=settings.weights, leaf_size=settings.leaf_size)
        knn.fit(X_train, y_train)
        accuracy = knn.score(X_test, y_test)
        print(f"k={k}: accuracy {accuracy:.3f}")


if __name__ == "__main__":
    main(Settings())
