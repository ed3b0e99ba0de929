"""make_column_transformer with make_column_selector by dtype (imputer + one-hot for object columns,
imputer + scaler for numbers) in a make_pipeline with LogisticRegression; cross_validate with
several scorers and return_train_score, then a final fit and a test report."""
import numpy as np
import pandas as pd
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, log_loss
from sklearn.model_selection import cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

rng = np.random.RandomState(8)
n = 900
frame = pd.DataFrame({
    "age": rng.normal(40, 12, n).round(),
    "fare": rng.lognormal(3, 0.8, n).round(2),
    "siblings": rng.poisson(0.6, n).astype(float),
    "cabin_class": rng.choice(["first", "second", "third"], n, p=[0.2, 0.3, 0.5]),
    "port": rng.choice(["S", "C", "Q"], n, p=[0.6, 0.25, 0.15]),
    "sex": rng.choice(["f", "m"], n),
})
score = (-0.03 * (frame["age"] - 40) + 0.4 * np.log(frame["fare"])
         + frame["sex"].map({"f": 1.2, "m": -0.8})
         + frame["cabin_class"].map({"first": 0.8, "second": 0.1, "third": -0.6}))
target = (score + rng.logistic(size=n) > 1.0).astype(int)
for col in ["age", "fare"]:
    frame.loc[rng.rand(n) < 0.08, col] = np.nan
frame.loc[rng.rand(n) < 0.05, "port"] = np.nan

X_train, X_test, y_train, y_test = train_test_split(frame, target, test_size=0.2, random_state=8,
                                                    stratify=target)

preprocessor = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
     make_column_selector(dtype_include=np.number)),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
     make_column_selector(dtype_include=object)),
)
clf = make_pipeline(preprocessor, LogisticRegression(C=0.5, max_iter=500))

cv_results = cross_validate(clf, X_train, y_train, cv=5,
                            scoring=["accuracy", "roc_auc", "f1"], return_train_score=True)
for key in sorted(cv_results):
    if key.startswith(("test_", "train_")):
        print(f"{key:>16}: {cv_results[key].mean():.4f} +/- {cv_results[key].std():.4f}")

clf.fit(X_train, y_train)
print("test balanced accuracy: %.4f" % balanced_accuracy_score(y_test, clf.predict(X_test)))
print("test log loss: %.4f" % log_loss(y_test, clf.predict_proba(X_test)))
