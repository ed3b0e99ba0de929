import mlflow
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import MinMaxScaler

n_neighbors = 7
weights = "uniform"
leaf_size = 20

# %% Data
iris = load_iris()
X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.3, random_state=9)
scaler = MinMaxScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

# %% Model
knn = KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights, leaf_size=leaf_size)
with mlflow.start_run(run_name="sk_cells_knn"):
    knn.fit(X_train, y_train)

# %% Evaluation
test_score = knn.score(X_test, y_test)
print("test accuracy:", round(test_score, 4))
