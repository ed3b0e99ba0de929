# %% [markdown]
# LightGBM with StratifiedKFold, out-of-fold predictions and averaged test predictions, the way
# tabular-competition kernels are laid out (one cell per step, a param dict at the top).

# %%
import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.datasets import make_classification
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

# %%
X, y = make_classification(n_samples=3000, n_features=20, n_informative=8, weights=[0.8, 0.2],
                           random_state=77)
cols = [f"var_{i}" for i in range(X.shape[1])]
train_df = pd.DataFrame(X[:2400], columns=cols)
train_df["target"] = y[:2400]
test_df = pd.DataFrame(X[2400:], columns=cols)
test_df.insert(0, "ID_code", [f"test_{i}" for i in range(len(test_df))])
features = [c for c in train_df.columns if c not in ["ID_code", "target"]]
target = train_df["target"]

# %%
param = {
    "objective": "binary",
    "metric": "auc",
    "learning_rate": 0.05,
    "num_leaves": 13,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 5,
    "seed": 77,
    "num_threads": 1,
    "verbosity": -1,
}
folds = StratifiedKFold(n_splits=4, shuffle=True, random_state=77)
oof = np.zeros(len(train_df))
predictions = np.zeros(len(test_df))

# %%
for fold_, (trn_idx, val_idx) in enumerate(folds.split(train_df.values, target.values)):
    print("Fold {}".format(fold_))
    trn_data = lgb.Dataset(train_df.iloc[trn_idx][features], label=target.iloc[trn_idx])
    val_data = lgb.Dataset(train_df.iloc[val_idx][features], label=target.iloc[val_idx])
    clf = lgb.train(param, trn_data, 1000, valid_sets=[trn_data, val_data],
                    callbacks=[lgb.early_stopping(30, verbose=False)])
    oof[val_idx] = clf.predict(train_df.iloc[val_idx][features], num_iteration=clf.best_iteration)
    print("  fold auc: {:.5f} (best iteration {})".format(
        roc_auc_score(target.iloc[val_idx], oof[val_idx]), clf.best_iteration))
    predictions += clf.predict(test_df[features], num_iteration=clf.best_iteration) / folds.n_splits

# %%
print("CV score: {:<8.5f}".format(roc_auc_score(target, oof)))
sub = pd.DataFrame({"ID_code": test_df.ID_code.values})
sub["target"] = predictions.round(6)
sub.to_csv("submission.csv", index=False)
print(sub.head(3))
