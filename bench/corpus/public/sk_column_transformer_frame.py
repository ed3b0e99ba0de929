"""Mixed-type DataFrame (numeric and categorical columns) through a ColumnTransformer pipeline."""
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

np.random.seed(0)


def make_frame(n=1000):
    rng = np.random.RandomState(0)
    age = rng.normal(40, 12, n).round()
    fare = np.abs(rng.normal(30, 20, n))
    embarked = rng.choice(["C", "Q", "S"], n, p=[0.2, 0.1, 0.7])
    pclass = rng.choice(["1", "2", "3"], n)
    logit = -0.03 * (age - 40) + 0.02 * (fare - 30) + (pclass == "1") * 1.0 - (embarked == "S") * 0.5
    survived = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)
    age[rng.uniform(size=n) < 0.1] = np.nan
    return pd.DataFrame({"age": age, "fare": fare, "embarked": embarked, "pclass": pclass,
                         "survived": survived})


df = make_frame()
X = df.drop(columns="survived")
y = df["survived"]

numeric_features = ["age", "fare"]
numeric_transformer = Pipeline(
    steps=[("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())]
)
categorical_features = ["embarked", "pclass"]
categorical_transformer = Pipeline(
    steps=[("encoder", OneHotEncoder(handle_unknown="ignore"))]
)
preprocessor = ColumnTransformer(
    transformers=[
        ("num", numeric_transformer, numeric_features),
        ("cat", categorical_transformer, categorical_features),
    ]
)
clf = Pipeline(steps=[("preprocessor", preprocessor),
                      ("classifier", LogisticRegression(C=0.5, max_iter=1000))])

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
clf.fit(X_train, y_train)
proba = clf.predict_proba(X_test)[:, 1]
print("model score: %.3f" % clf.score(X_test, y_test))
print("accuracy: %.3f" % accuracy_score(y_test, proba > 0.5))
print("roc auc: %.3f" % roc_auc_score(y_test, proba))
