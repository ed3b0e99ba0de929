"""StackingRegressor of three estimators, scored with cross_validate on two metrics, then refit."""
import time

from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor, StackingRegressor
from sklearn.linear_model import LassoCV, RidgeCV
from sklearn.model_selection import cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = make_friedman1(n_samples=300, n_features=8, noise=1.0, random_state=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=42)

lasso_pipeline = make_pipeline(StandardScaler(), LassoCV(cv=3, random_state=42))
rf_pipeline = RandomForestRegressor(n_estimators=20, random_state=42)
gbdt_pipeline = GradientBoostingRegressor(n_estimators=40, random_state=42)
estimators = [("Random Forest", rf_pipeline), ("Lasso", lasso_pipeline),
              ("Gradient Boosting", gbdt_pipeline)]
stacking_regressor = StackingRegressor(estimators=estimators, final_estimator=RidgeCV(), cv=3)

for name, est in estimators + [("Stacking Regressor", stacking_regressor)]:
    start_time = time.time()
    scores = cross_validate(est, X_train, y_train, scoring=["r2", "neg_mean_absolute_error"],
                            n_jobs=1, cv=3)
    elapsed_time = time.time() - start_time
    print(f"{name}: R2 {scores['test_r2'].mean():.2f} +- {scores['test_r2'].std():.2f}, "
          f"MAE {-scores['test_neg_mean_absolute_error'].mean():.2f}")

stacking_regressor.fit(X_train, y_train)
print(f"stacking test R2: {stacking_regressor.score(X_test, y_test):.4f}")
