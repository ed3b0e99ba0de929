"""AdaBoost on the wine data: a module-level model and small load/train/evaluate functions."""
import mlflow
from sklearn.datasets import load_wine
from sklearn.ensemble import AdaBoostClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

model = AdaBoostClassifier(n_estimators=60, learning_rate=0.5, random_state=4)


def load():
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=4, stratify=y)


def train(X_train, y_train):
    model.fit(X_train, y_train)


def evaluate(X_test, y_test):
    return balanced_accuracy_score(y_test, model.predict(X_test))


def main():
    with mlflow.start_run(run_name="adaboost-wine"):
        mlflow.log_params(model.get_params())
        X_train, X_test, y_train, y_test = load()
        train(X_train, y_train)
        score = evaluate(X_test, y_test)
        mlflow.log_metric("balanced_accuracy", score)
        print(f"balanced accuracy: {score:.4f}")


if __name__ == "__main__":
    main()
