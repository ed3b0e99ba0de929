"""Learning to rank with `xgboost.XGBRanker` and query ids, in the shape of xgboost's `demo/rank/` scripts and the
sklearn-API ranking tests: a synthetic search log (queries with 10-30 candidate documents, graded relevance 0-4)
sorted by `qid`, `XGBRanker(objective="rank:pairwise" | "rank:ndcg", lambdarank_pair_method=..., eval_metric=
["ndcg@10", "ndcg@5"], early_stopping_rounds=...)` fitted with `qid=` and `eval_set`/`eval_qid`, `evals_result()`,
`best_iteration`, mean per-query NDCG@5 on the test queries computed by hand, the better objective kept and saved
with `save_model("ranker.json")`."""
import argparse

import numpy as np
import xgboost as xgb


def make_search_log(n_queries, n_features, rng, w):
    X_parts, y_parts, qid_parts = [], [], []
    for q in range(n_queries):
        n_docs = rng.randint(10, 31)
        X = rng.normal(size=(n_docs, n_features))
        score = X @ w + 0.5 * np.sin(3 * X[:, 0]) + rng.normal(0, 0.7, n_docs)
        rel = np.digitize(score, np.quantile(score, [0.5, 0.75, 0.9, 0.97]))
        X_parts.append(X)
        y_parts.append(rel)
        qid_parts.append(np.full(n_docs, q))
    return np.vstack(X_parts), np.concatenate(y_parts), np.concatenate(qid_parts)


def dcg_at_k(rel, k):
    rel = np.asarray(rel, dtype=float)[:k]
    return float(np.sum((2 ** rel - 1) / np.log2(np.arange(2, len(rel) + 2))))


def mean_ndcg(y, scores, qid, k=5):
    values = []
    for q in np.unique(qid):
        mask = qid == q
        order = np.argsort(-scores[mask], kind="stable")
        ideal = dcg_at_k(np.sort(y[mask])[::-1], k)
        values.append(dcg_at_k(y[mask][order], k) / ideal if ideal > 0 else 0.0)
    return float(np.mean(values))


def main():
    parser = argparse.ArgumentParser(description="XGBRanker on a synthetic search log")
    parser.add_argument("--n-queries", type=int, default=300)
    parser.add_argument("--n-features", type=int, default=12)
    parser.add_argument("--n-estimators", type=int, default=300)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--max-depth", type=int, default=4)
    parser.add_argument("--early-stopping-rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.RandomState(args.seed)
    w = rng.normal(size=args.n_features)
    X_train, y_train, qid_train = make_search_log(args.n_queries, args.n_features, rng, w)
    X_valid, y_valid, qid_valid = make_search_log(args.n_queries // 4, args.n_features, rng, w)
    X_test, y_test, qid_test = make_search_log(args.n_queries // 4, args.n_features, rng, w)
    print(f"train {len(y_train)} docs / {args.n_queries} queries, valid {len(y_valid)}, test {len(y_test)}")

    results = {}
    for objective in ["rank:pairwise", "rank:ndcg"]:
        ranker = xgb.XGBRanker(
            objective=objective,
            n_estimators=args.n_estimators,
            learning_rate=args.learning_rate,
            max_depth=args.max_depth,
            subsample=0.8,
            colsample_bytree=0.8,
            tree_method="hist",
            lambdarank_pair_method="topk" if objective == "rank:ndcg" else "mean",
            eval_metric=["ndcg@10", "ndcg@5"],
            early_stopping_rounds=args.early_stopping_rounds,
            random_state=args.seed,
            n_jobs=1,
        )
        ranker.fit(X_train, y_train, qid=qid_train, eval_set=[(X_valid, y_valid)], eval_qid=[qid_valid],
                   verbose=50)
        history = ranker.evals_result()["validation_0"]["ndcg@5"]
        valid_ndcg = mean_ndcg(y_valid, ranker.predict(X_valid), qid_valid)
        results[objective] = (valid_ndcg, ranker)
        print(f"{objective}: best_iteration {ranker.best_iteration}, xgb valid ndcg@5 "
              f"{history[ranker.best_iteration]:.4f}, recomputed {valid_ndcg:.4f}")

    best_objective = max(results, key=lambda k: results[k][0])
    ranker = results[best_objective][1]
    test_ndcg = mean_ndcg(y_test, ranker.predict(X_test), qid_test)
    print(f"kept {best_objective}; test ndcg@5 {test_ndcg:.4f}")
    ranker.save_model("ranker.json")


if __name__ == "__main__":
    main()
