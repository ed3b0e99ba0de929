"""k-nearest neighbours on iris with a held-out test split."""
import wandb
from sklearn.datasets import load_iris
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

n_neighbors = 5
weights = "uniform"

with wandb.init(project="iris-knn", config={"n_neighbors": n_neighbors, "weights": weights}) as run:
    # read the settings back from the run so a sweep can override them
    config = run.config
    data = load_iris()
    X_train, X_test, y_train, y_test = train_test_split(
        data.data, data.target, test_size=0.3, random_state=9, stratify=data.target
    )
    knn = KNeighborsClassifier(n_neighbors=config.n_neighbors, weights=config.weights)
    knn.fit(X_train, y_train)
    accuracy = accuracy_score(y_test, knn.predict(X_test))
    run.log({"accuracy": accuracy})
    print("test accuracy = %.4f" % accuracy)
