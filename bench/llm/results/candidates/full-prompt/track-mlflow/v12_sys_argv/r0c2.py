import mlflow

from wt-llmbench.bench.corpus.holdout-tracking.v12_sys_argv import EPOCHS, LR

with mlflow.start_run(run_name="holdout-tracking", experiment_id="default"):
    mlflow.log_params({"EPOCHS": EPOCHS, "LR": LR})

rng = np.random.default_rng(4)
X = rng.normal(size=(150, 2))
y = (X[:, 0] > X[:, 1]).astype(float)
w = np.zeros(2)
for epoch in range(EPOCHS):
    p = 1 / (1 + np.exp(-(X @ w)))
    w -= LR * X.T @ (p - y) / len(y)

accuracy = float(np.mean((X @ w > 0) == y))
mlflow.log_metrics({"accuracy": accuracy})
print(f"accuracy {accuracy:.3f}")
