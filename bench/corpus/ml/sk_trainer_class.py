"""A Trainer class wraps a k-nearest-neighbours model on digits."""
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier


class Trainer:
    def __init__(self, n_neighbors=5, weights="distance"):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.model = KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights)

    def train(self, X, y):
        self.model.fit(X, y)

    def evaluate(self, X, y):
        return accuracy_score(y, self.model.predict(X))


def main():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    trainer = Trainer(n_neighbors=3)
    trainer.train(X_train, y_train)
    accuracy = trainer.evaluate(X_test, y_test)
    print(f"accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
