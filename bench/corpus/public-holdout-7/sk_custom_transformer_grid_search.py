"""Custom scikit-learn transformers inside a grid-searched pipeline, in the shape of the many repos that subclass
`BaseEstimator, TransformerMixin`: `OutlierClipper(quantile=...)` learning per-column bounds in `fit` (trailing
underscore attributes, `check_is_fitted`, `get_feature_names_out`), `RatioFeatures(pairs=..., add=True)` adding
column ratios, a `Pipeline` with `StandardScaler` and `LogisticRegression`, `GridSearchCV` over the custom
transformers' own parameters plus `C` with `scoring="roc_auc"`, `cv_results_` top rows, `best_estimator_` tested and
pickled with `pickle`, feature names of the fitted pipeline printed. Train/test only (selection by CV)."""
import argparse
import pickle

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted


class OutlierClipper(BaseEstimator, TransformerMixin):
    def __init__(self, quantile=0.01):
        self.quantile = quantile

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.n_features_in_ = X.shape[1]
        self.lower_ = np.quantile(X, self.quantile, axis=0)
        self.upper_ = np.quantile(X, 1 - self.quantile, axis=0)
        return self

    def transform(self, X):
        check_is_fitted(self, ["lower_", "upper_"])
        return np.clip(np.asarray(X, dtype=float), self.lower_, self.upper_)

    def get_feature_names_out(self, input_features=None):
        if input_features is None:
            input_features = [f"x{i}" for i in range(self.n_features_in_)]
        return np.asarray(input_features, dtype=object)


class RatioFeatures(BaseEstimator, TransformerMixin):
    def __init__(self, pairs=((0, 1),), add=True, eps=1e-6):
        self.pairs = pairs
        self.add = add
        self.eps = eps

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_in_")
        X = np.asarray(X, dtype=float)
        if not self.add or not self.pairs:
            return X
        ratios = np.column_stack([X[:, i] / (np.abs(X[:, j]) + self.eps) for i, j in self.pairs])
        return np.hstack([X, ratios])

    def get_feature_names_out(self, input_features=None):
        names = list(input_features) if input_features is not None else [f"x{i}" for i in range(self.n_features_in_)]
        if self.add and self.pairs:
            names += [f"{names[i]}/{names[j]}" for i, j in self.pairs]
        return np.asarray(names, dtype=object)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--test-size", type=float, default=0.25)
    parser.add_argument("--cv", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default="custom_pipeline.pkl")
    args = parser.parse_args()

    data = load_breast_cancer(as_frame=True)
    X, y = data.data, data.target
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=args.seed,
                                                        stratify=y)
    cols = list(X.columns)
    ratio_pairs = ((cols.index("mean area"), cols.index("mean perimeter")),
                   (cols.index("worst concavity"), cols.index("worst smoothness")))

    pipe = Pipeline([
        ("clip", OutlierClipper()),
        ("ratios", RatioFeatures(pairs=ratio_pairs)),
        ("scale", StandardScaler()),
        ("clf", LogisticRegression(max_iter=2000)),
    ])
    param_grid = {
        "clip__quantile": [0.0, 0.01, 0.05],
        "ratios__add": [False, True],
        "clf__C": [0.05, 0.3, 1.0],
    }
    search = GridSearchCV(pipe, param_grid, scoring="roc_auc",
                          cv=StratifiedKFold(args.cv, shuffle=True, random_state=args.seed), n_jobs=1)
    search.fit(X_train, y_train)
    results = pd.DataFrame(search.cv_results_).sort_values("rank_test_score")
    print(results[["param_clip__quantile", "param_ratios__add", "param_clf__C", "mean_test_score",
                   "std_test_score"]].head(5).to_string(index=False))
    print(f"Best parameters: {search.best_params_}")
    print(f"Best CV ROC AUC: {search.best_score_:.4f}")

    best = search.best_estimator_
    proba = best.predict_proba(X_test)[:, 1]
    print(f"Test ROC AUC: {roc_auc_score(y_test, proba):.4f}")
    print(f"Test accuracy: {accuracy_score(y_test, best.predict(X_test)):.4f}")
    names = best[:-1].get_feature_names_out(cols)
    print(f"{len(names)} features into the classifier, last: {list(names[-2:])}")
    with open(args.out, "wb") as fh:
        pickle.dump(best, fh)


if __name__ == "__main__":
    main()
