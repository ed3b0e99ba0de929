"""KNN classifier on iris from argparse: cross_val_score on the train split, then a test score."""
import argparse

from sklearn.datasets import load_iris
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main(argv=None):
    parser = argparse.ArgumentParser(description="k-nearest neighbours on iris")
    parser.add_argument("-k", "--n-neighbors", type=int, default=7)
    parser.add_argument("--weights", choices=["uniform", "distance"], default="uniform")
    parser.add_argument("--p", type=int, default=2, help="Minkowski power")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=args.seed,
                                                        stratify=y)
    knn = make_pipeline(StandardScaler(),
                        KNeighborsClassifier(n_neighbors=args.n_neighbors, weights=args.weights,
                                             p=args.p))
    scores = cross_val_score(knn, X_train, y_train, cv=args.folds)
    print("cv scores:", [round(s, 3) for s in scores])
    print("mean cv accuracy: %.4f" % scores.mean())
    knn.fit(X_train, y_train)
    print("test accuracy: %.4f" % knn.score(X_test, y_test))


if __name__ == "__main__":
    main()
