"""Local settings inside main() feed an sklearn MLPClassifier; the score is printed."""
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier


def main():
    learning_rate_init = 0.001
    alpha = 0.0001
    activation = "relu"
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X / 16.0, y, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(32,), learning_rate_init=learning_rate_init, alpha=alpha,
                        activation=activation, max_iter=60, random_state=0)
    clf.fit(X_train, y_train)
    score = clf.score(X_val, y_val)
    print("val score", round(score, 4))


if __name__ == "__main__":
    main()
