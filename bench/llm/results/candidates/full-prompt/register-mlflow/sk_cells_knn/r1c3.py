import mlflow

with mlflow.start_run():
    iris = load_iris()
    X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.3, random_state=9)
    scaler = MinMaxScaler()
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.transform(X_test)

    knn = KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights, leaf_size=leaf_size)
    knn.fit(X_train, y_train)

    test_score = knn.score(X_test, y_test)
    mlflow.log_metric("test_accuracy", round(test_score, 4))
