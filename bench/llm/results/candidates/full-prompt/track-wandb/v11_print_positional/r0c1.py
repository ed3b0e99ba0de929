"""Lasso regression reporting with positional print arguments using Wandb."""

import wandb

# Start a run with W&B before training
with wandb.init(config={"test_size": 0.2, "random_state": 11, "alpha": 0.05, "max_iter": 5000}) as run:
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=11)

    lasso = Lasso(alpha=run.config["alpha"], max_iter=run.config["max_iter"])
    lasso.fit(X_train, y_train)
    pred = lasso.predict(X_test)

    # Log evaluation results with W&B
    wandb.log({"mse": mean_squared_error(y_test, pred), "r2": r2_score(y_test, pred)}, step=run.epoch)
