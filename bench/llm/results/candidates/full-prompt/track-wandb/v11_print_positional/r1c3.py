"""Lasso regression reporting with positional print arguments."""
import wandb

from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.model_selection import train_test_split

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=11)
lasso = Lasso(alpha=0.05, max_iter=5000)
lasso.fit(X_train, y_train)

pred = lasso.predict(X_test)

with wandb.init(config={"test_size": 0.2, "random_state": 11, "alpha": 0.05, "max_iter": 5000}) as run:
    run.log({"mse": mean_squared_error(y_test, pred), "r2": r2_score(y_test, pred)})
