"""A script that already tracks with MLflow: main() with local settings and an ElasticNet."""
import mlflow
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split


def main():
    alpha = 0.1
    l1_ratio = 0.5
    max_iter = 500
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    with mlflow.start_run():
        mlflow.log_params({"alpha": alpha, "l1_ratio": l1_ratio, "max_iter": max_iter})
        model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, max_iter=max_iter)
        model.fit(X_train, y_train)
        r2 = r2_score(y_test, model.predict(X_test))
        mlflow.log_metric("r2", r2)
        print(f"r2 = {r2:.4f}")


if __name__ == "__main__":
    main()
