"""Learning to rank with LGBMRanker (lambdarank) on synthetic queries.

Each query has a variable number of candidate documents with graded relevance 0-3; the group
sizes go to fit() and to eval_group; NDCG@k comes from the model's evals_result_ and, on the
test queries, from sklearn's ndcg_score per query. The booster is saved as text.
"""
import lightgbm as lgb
import numpy as np
from sklearn.metrics import ndcg_score

RNG = np.random.default_rng(8)
N_FEATURES = 8
PARAMS = dict(
    objective="lambdarank",
    n_estimators=150,
    learning_rate=0.05,
    num_leaves=15,
    min_child_samples=10,
    subsample=0.8,
    subsample_freq=1,
    colsample_bytree=0.9,
    random_state=8,
    n_jobs=1,
    verbose=-1,
)
TRUE_W = RNG.normal(size=N_FEATURES)


def make_queries(n_queries):
    X_parts, y_parts, groups = [], [], []
    for _ in range(n_queries):
        n_docs = int(RNG.integers(8, 25))
        features = RNG.normal(size=(n_docs, N_FEATURES))
        utility = features @ TRUE_W + RNG.normal(scale=1.0, size=n_docs)
        relevance = np.digitize(utility, np.quantile(utility, [0.5, 0.75, 0.9]))
        X_parts.append(features)
        y_parts.append(relevance)
        groups.append(n_docs)
    return np.vstack(X_parts), np.concatenate(y_parts), np.array(groups)


X_train, y_train, group_train = make_queries(120)
X_valid, y_valid, group_valid = make_queries(30)
X_test, y_test, group_test = make_queries(30)
print(f"train: {len(group_train)} queries, {len(y_train)} documents")

ranker = lgb.LGBMRanker(**PARAMS)
ranker.fit(
    X_train, y_train, group=group_train,
    eval_set=[(X_valid, y_valid)], eval_group=[group_valid], eval_at=[5, 10],
    callbacks=[lgb.early_stopping(stopping_rounds=25, verbose=False)],
)
valid_curve = ranker.evals_result_["valid_0"]
print(f"best iteration: {ranker.best_iteration_}")
print(f"valid ndcg@5 {valid_curve['ndcg@5'][ranker.best_iteration_ - 1]:.4f} "
      f"ndcg@10 {valid_curve['ndcg@10'][ranker.best_iteration_ - 1]:.4f}")

scores = ranker.predict(X_test)
per_query = []
start = 0
for size in group_test:
    stop = start + size
    per_query.append(ndcg_score([y_test[start:stop]], [scores[start:stop]], k=10))
    start = stop
print(f"test mean ndcg@10 over {len(per_query)} queries: {np.mean(per_query):.4f}")

ranker.booster_.save_model("ranker.txt")
print("feature importances (split):", ranker.feature_importances_.tolist())
