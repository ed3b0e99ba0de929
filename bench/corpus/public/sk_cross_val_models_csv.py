"""cross_val_score for several models on breast cancer; the table goes to results.csv with pandas."""
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

SEED = 0

X, y = load_breast_cancer(return_X_y=True)
models = {
    "logreg": make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=500)),
    "svc": make_pipeline(StandardScaler(), SVC(C=2.0, gamma="scale")),
    "extra_trees": ExtraTreesClassifier(n_estimators=50, random_state=SEED),
    "gboost": GradientBoostingClassifier(n_estimators=50, max_depth=2, random_state=SEED),
}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)

rows = []
for name, model in models.items():
    scores = cross_val_score(model, X, y, cv=cv, scoring="accuracy")
    rows.append({"model": name, "mean_accuracy": scores.mean(), "std_accuracy": scores.std()})
    print(f"{name}: {scores.mean():.4f} (+/- {scores.std():.4f})")

results = pd.DataFrame(rows).sort_values("mean_accuracy", ascending=False)
results.to_csv("results.csv", index=False)
print(results.to_string(index=False))
print("best model:", results.iloc[0]["model"])
