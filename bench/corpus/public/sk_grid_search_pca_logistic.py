"""Pipelining: PCA then logistic regression on digits, tuned with GridSearchCV over both steps."""
import numpy as np
from sklearn import datasets
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

pca = PCA()
scaler = StandardScaler()
logistic = LogisticRegression(max_iter=2000, tol=0.1)
pipe = Pipeline(steps=[("scaler", scaler), ("pca", pca), ("logistic", logistic)])

X_digits, y_digits = datasets.load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X_digits, y_digits, test_size=0.25,
                                                    random_state=0)
param_grid = {
    "pca__n_components": [5, 15, 30],
    "logistic__C": np.logspace(-2, 2, 3),
}
search = GridSearchCV(pipe, param_grid, n_jobs=1, cv=3)
search.fit(X_train, y_train)
print("Best parameter (CV score=%0.3f):" % search.best_score_)
print(search.best_params_)

y_pred = search.predict(X_test)
print(classification_report(y_test, y_pred, digits=3))
print("test accuracy: %.4f" % search.score(X_test, y_test))
