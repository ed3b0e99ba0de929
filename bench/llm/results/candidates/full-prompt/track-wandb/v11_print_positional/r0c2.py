"""Lasso regression reporting with positional print arguments and Weights & Biases."""
import wandb
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

wandb.init(project="corpus_holdout-tracking", config={"test_size": 0.2, "random_state": 11, "alpha": 0.05, "max_iter": 5000})

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=11)
lasso = Lasso(alpha=0.05, max_iter=5000)
lasso.fit(X_train, y_train)
pred = lasso.predict(X_test)

wandb.log({
    "mse": mean_squared_error(y_test, pred),
    "r2": r2_score(y_test, pred)
})

wandb.finish()
