"""Track hyperparameters and metrics with MLflow."""
import mlflow

# Start a new run around the existing code.
with mlflow.start_run():
    # Log every hyperparameter as a param.
    mlflow.log_params({
        "EPOCHS": EPOCHS,
        "LR": LR
    })
    
    # Log every evaluation result as a metric.
    accuracy = float(np.mean((X @ w > 0) == y))
    mlflow.log_metric("accuracy", accuracy, step=epoch)
    
    print(f"accuracy {accuracy:.3f}")
