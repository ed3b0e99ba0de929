"""XGBRegressor inside GridSearchCV on diabetes; best params, CV score and test RMSE printed."""
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import GridSearchCV, KFold, train_test_split
from xgboost import XGBRegressor

X, y = load_diabetes(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)

xgb_model = XGBRegressor(n_estimators=80, tree_method="hist", random_state=1, n_jobs=1)
param_grid = {"max_depth": [2, 4], "learning_rate": [0.05, 0.1], "subsample": [0.8, 1.0]}
kfold = KFold(n_splits=3, shuffle=True, random_state=1)
clf = GridSearchCV(xgb_model, param_grid, cv=kfold, scoring="neg_root_mean_squared_error",
                   verbose=1)
clf.fit(X_train, y_train)
print("best params:", clf.best_params_)
print("best CV RMSE: %.3f" % -clf.best_score_)
pred = clf.predict(X_test)
print("test RMSE: %.3f" % np.sqrt(mean_squared_error(y_test, pred)))
