"""Results reported through the logging module."""
import logging

from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import train_test_split

logging.basicConfig(level=logging.INFO, format="%(message)s", stream=__import__("sys").stdout)
log = logging.getLogger("train")

ALPHA = 0.1

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=5)
lasso = Lasso(alpha=ALPHA)
lasso.fit(X_train, y_train)
mae = mean_absolute_error(y_test, lasso.predict(X_test))
log.info("mae=%.3f", mae)
