"""Model-based and sequential feature selection on the diabetes data (scikit-learn
feature_selection/plot_select_from_model_diabetes.py): RidgeCV coefficients as importance, `SelectFromModel` with a
threshold just above the third-largest importance, forward and backward `SequentialFeatureSelector`, each selection
scored by cross-validation on the training part, the best subset refit and tested; joblib dump of (features, model)."""
from time import time

import joblib
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.feature_selection import SelectFromModel, SequentialFeatureSelector
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import cross_val_score, train_test_split

diabetes = load_diabetes()
X, y = diabetes.data, diabetes.target
feature_names = np.array(diabetes.feature_names)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

ridge = RidgeCV(alphas=np.logspace(-6, 6, num=5)).fit(X_train, y_train)
importance = np.abs(ridge.coef_)
print("importance by feature:", dict(zip(feature_names, importance.round(1))))

N_FEATURES = 3
threshold = np.sort(importance)[-N_FEATURES] + 0.01
tic = time()
sfm = SelectFromModel(ridge, threshold=threshold).fit(X_train, y_train)
toc = time()
print(f"Features selected by SelectFromModel: {feature_names[sfm.get_support()]}")
selections = {"SelectFromModel": sfm.get_support()}

for direction in ("forward", "backward"):
    sfs = SequentialFeatureSelector(ridge, n_features_to_select=N_FEATURES, direction=direction, cv=5)
    sfs.fit(X_train, y_train)
    print(f"Features selected by {direction} sequential selection: {feature_names[sfs.get_support()]}")
    selections[f"SFS-{direction}"] = sfs.get_support()
selections["all features"] = np.ones(X.shape[1], dtype=bool)

scores = {}
for name, mask in selections.items():
    cv = cross_val_score(RidgeCV(alphas=np.logspace(-6, 6, num=5)), X_train[:, mask], y_train, cv=5, scoring="r2")
    scores[name] = cv.mean()
    print(f"{name:>20s}: CV R2 {cv.mean():.4f} +/- {cv.std():.4f}")

best = max((n for n in scores if n != "all features"), key=scores.get)
mask = selections[best]
final = RidgeCV(alphas=np.logspace(-6, 6, num=5)).fit(X_train[:, mask], y_train)
print(f"best subset: {best} {feature_names[mask].tolist()}; test R2 {final.score(X_test[:, mask], y_test):.4f} "
      f"(all features: {ridge.score(X_test, y_test):.4f})")
joblib.dump({"features": feature_names[mask].tolist(), "model": final}, "ridge_selected_features.joblib")
