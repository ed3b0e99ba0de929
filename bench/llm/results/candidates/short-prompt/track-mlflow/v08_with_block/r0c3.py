"""Tracking MLflow experiment."""
import mlflow

# Open a run around training and evaluation
with mlflow.start_run():
    # Log hyperparameters
    mlflow.log_params({
        "MAX_ITER": MAX_ITER,
        "C": C,
        "random_state": 0,
        "max_iter": MAX_ITER
    })

    # Log evaluation results
    accuracy = clf.score(X_test, y_test)
    mlflow.log_metric("accuracy", accuracy, step=clf.n_iter_)

# Leave the tracking URI and experiment to the environment (do not hard-code a tracking server)
