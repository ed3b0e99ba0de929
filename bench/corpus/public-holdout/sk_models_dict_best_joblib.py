"""A dict of regressors fitted in a loop on diabetes; scores to CSV, the best one saved with joblib."""
import joblib
import pandas as pd
from sklearn.datasets import load_diabetes
from sklearn.ensemble import ExtraTreesRegressor, GradientBoostingRegressor
from sklearn.linear_model import ElasticNet, Ridge
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsRegressor

X, y = load_diabetes(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=10)

MODELS = {
    "ridge": Ridge(alpha=1.0),
    "elasticnet": ElasticNet(alpha=0.01, l1_ratio=0.5, max_iter=5000),
    "knn": KNeighborsRegressor(n_neighbors=9),
    "extra_trees": ExtraTreesRegressor(n_estimators=60, min_samples_leaf=3, random_state=10),
    "gbr": GradientBoostingRegressor(n_estimators=80, max_depth=2, random_state=10),
}

scores = []
fitted = {}
for name, model in MODELS.items():
    model.fit(X_train, y_train)
    pred = model.predict(X_test)
    fitted[name] = model
    scores.append({"model": name, "r2": r2_score(y_test, pred),
                   "mae": mean_absolute_error(y_test, pred)})
    print(f"{name:12s} r2={scores[-1]['r2']:.4f} mae={scores[-1]['mae']:.2f}")

table = pd.DataFrame(scores).set_index("model").sort_values("r2", ascending=False)
table.to_csv("model_scores.csv")
best_name = table.index[0]
joblib.dump(fitted[best_name], f"best_{best_name}.joblib")
print("best model:", best_name, "r2:", round(table.loc[best_name, "r2"], 4))
