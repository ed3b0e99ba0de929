"""A trained model saved with joblib."""
import joblib
import mlflow
import mlflow.sklearn
from sklearn.datasets import load_wine
from sklearn.ensemble import ExtraTreesClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

N_ESTIMATORS = 30

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=2)
clf = ExtraTreesClassifier(n_estimators=N_ESTIMATORS, random_state=0)
clf.fit(X_train, y_train)
accuracy = accuracy_score(y_test, clf.predict(X_test))
print(f"accuracy: {accuracy:.3f}")
joblib.dump(clf, "model.joblib")
with mlflow.start_run():
    # Tree models hold raw node arrays that skops refuses by default; cloudpickle keeps them.
    mlflow.sklearn.log_model(clf, name="model", registered_model_name="wine-extra-trees",
                             serialization_format="cloudpickle", pip_requirements=["scikit-learn"])
print("saved model.joblib")
