# Random forest on breast-cancer data with two added noise columns: impurity-based (MDI) importances vs
# permutation importances on the held-out set; sorted table printed, compressed joblib model.
import joblib
import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

SEED = 42
rng = np.random.RandomState(SEED)

data = load_breast_cancer(as_frame=True)
X = data.frame.drop(columns="target").iloc[:, :12].copy()
y = data.frame["target"]
X["random_num"] = rng.randn(len(X))
X["random_cat"] = rng.randint(3, size=len(X))

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=SEED)

rf = RandomForestClassifier(n_estimators=120, max_depth=None, min_samples_leaf=1, max_features="sqrt",
                            random_state=SEED, n_jobs=1)
rf.fit(X_train, y_train)
print(f"train_accuracy={rf.score(X_train, y_train):.4f}")
print(f"test_accuracy={accuracy_score(y_test, rf.predict(X_test)):.4f}")
print(f"test_auc={roc_auc_score(y_test, rf.predict_proba(X_test)[:, 1]):.4f}")

mdi = pd.Series(rf.feature_importances_, index=X.columns)
result = permutation_importance(rf, X_test, y_test, n_repeats=5, random_state=SEED, n_jobs=1)
perm = pd.DataFrame({"perm_mean": result.importances_mean, "perm_std": result.importances_std}, index=X.columns)
table = perm.assign(mdi=mdi).sort_values("perm_mean", ascending=False)
print(table.round(4).head(8).to_string())

noise_rank_mdi = int(mdi.rank(ascending=False)["random_num"])
noise_rank_perm = int(perm["perm_mean"].rank(ascending=False)["random_num"])
print(f"random_num_rank_mdi={noise_rank_mdi}")
print(f"random_num_rank_permutation={noise_rank_perm}")
joblib.dump(rf, "forest.joblib", compress=3)
