"""A random forest on iris; the settings are module-level constants."""
import mlflow

# Autologging patches sklearn's fit and metric functions, so it is switched on before
# `from sklearn.metrics import accuracy_score` binds the name: the forest's parameters, its
# training metrics and the test accuracy computed below are then all recorded.
mlflow.sklearn.autolog()

from sklearn.datasets import load_iris  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.metrics import accuracy_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

N_ESTIMATORS = 40
MAX_DEPTH = 3
TEST_SIZE = 0.3
SEED = 1

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=TEST_SIZE, random_state=SEED)

clf = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=SEED)
clf.fit(X_train, y_train)

y_pred = clf.predict(X_test)
acc = accuracy_score(y_test, y_pred)
print("Accuracy:", round(acc, 4))
mlflow.end_run()
