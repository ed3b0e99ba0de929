"""FeatureUnion(PCA, SelectKBest) + SVC in a Pipeline cached with `memory=`, hand-written loop over set_params."""
import itertools
import shutil

import pandas as pd
from joblib import Memory, dump
from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=42, stratify=y)
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=42, stratify=y_train)

cachedir = "pipeline_cache"
memory = Memory(location=cachedir, verbose=0)

combined_features = FeatureUnion([("pca", PCA(n_components=2)), ("univ_select", SelectKBest(f_classif, k=1))])
pipe = Pipeline([("scale", StandardScaler()), ("features", combined_features),
                 ("svm", SVC(kernel="rbf"))], memory=memory)

grid = {
    "features__pca__n_components": [2, 5],
    "features__univ_select__k": [1, 4, 8],
    "svm__C": [0.3, 1.0, 3.0],
}
rows = []
for values in itertools.product(*grid.values()):
    params = dict(zip(grid.keys(), values))
    pipe.set_params(**params)
    pipe.fit(X_fit, y_fit)
    scores = pipe.decision_function(X_val)
    row = dict(params, val_auc=roc_auc_score(y_val, scores), val_f1=f1_score(y_val, pipe.predict(X_val)))
    rows.append(row)

results = pd.DataFrame(rows).sort_values(["val_auc", "val_f1"], ascending=False).reset_index(drop=True)
print(results.head(5).to_string(float_format=lambda v: f"{v:.4f}"))
results.to_csv("feature_union_results.csv", index=False)
best_params = {k: results.loc[0, k] for k in grid}
best_params = {k: (int(v) if k.endswith(("n_components", "__k")) else float(v)) for k, v in best_params.items()}
print("best params:", best_params)

pipe.set_params(**best_params)
pipe.fit(X_train, y_train)
print(f"test AUC: {roc_auc_score(y_test, pipe.decision_function(X_test)):.4f}")
print(f"test F1:  {f1_score(y_test, pipe.predict(X_test)):.4f}")
dump(pipe, "feature_union_svc.joblib")
memory.clear(warn=False)
shutil.rmtree(cachedir)
