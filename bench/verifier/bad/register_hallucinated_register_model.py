"""A linear SVM saved with pickle, inside main()."""
import pickle

import mlflow
import mlflow.sklearn
from sklearn.datasets import make_classification
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC


def main():
    C = 0.5
    X, y = make_classification(n_samples=400, n_features=10, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    svm = LinearSVC(C=C, random_state=0)
    svm.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, svm.predict(X_test))
    print(f"accuracy={accuracy:.3f}")
    with open("svm.pkl", "wb") as fh:
        pickle.dump(svm, fh)
    with mlflow.start_run():
        mlflow.sklearn.register_model(svm, name="model", registered_model_name="linear-svc",
                                 pip_requirements=["scikit-learn"])


if __name__ == "__main__":
    main()
