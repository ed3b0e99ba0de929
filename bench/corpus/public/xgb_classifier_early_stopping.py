"""XGBClassifier (sklearn API) with an eval_set and early stopping on breast cancer."""
import xgboost as xgb
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=94)
X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, test_size=0.2,
                                                      random_state=94)

clf = xgb.XGBClassifier(
    n_estimators=200,
    max_depth=3,
    learning_rate=0.1,
    subsample=0.9,
    colsample_bytree=0.8,
    tree_method="hist",
    eval_metric="logloss",
    early_stopping_rounds=10,
    random_state=94,
    n_jobs=1,
)
clf.fit(X_train, y_train, eval_set=[(X_valid, y_valid)], verbose=20)
print("best iteration:", clf.best_iteration)
print("best validation logloss:", round(clf.best_score, 4))

y_pred = clf.predict(X_test)
y_prob = clf.predict_proba(X_test)[:, 1]
print("test accuracy:", round(accuracy_score(y_test, y_pred), 4))
print("test auc:", round(roc_auc_score(y_test, y_prob), 4))
clf.save_model("xgb_cancer.json")
