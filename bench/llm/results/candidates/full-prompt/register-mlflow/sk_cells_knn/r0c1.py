import mlflow

# Log the trained model and register it in the MLflow Model Registry.
with mlflow.start_run():
    scaler = MinMaxScaler()
    scaler.fit(X_train)
    X_train = scaler.transform(X_train)
    X_test = scaler.transform(X_test)

    knn = KNeighborsClassifier(n_neighbors=n_neighbors, weights=weights, leaf_size=leaf_size)
    knn.fit(X_train, y_train)

    test_score = knn.score(X_test, y_test)
    mlflow.log_metric("test_accuracy", round(test_score, 4))
