"""Grid search over an SVC and report the best setting."""
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.svm import SVC

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
param_grid = {"C": [0.1, 1, 10], "kernel": ["linear", "rbf"]}
search = GridSearchCV(SVC(), param_grid, cv=3)
search.fit(X_train, y_train)
print("best params:", search.best_params_)
print("best cv score: %.3f" % search.best_score_)
test_acc = search.score(X_test, y_test)
print("test accuracy: %.3f" % test_acc)
