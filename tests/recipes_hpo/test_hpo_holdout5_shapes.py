"""hpo-optuna on shapes first seen in public-holdout-5: argparse subcommands whose evaluate step reports
validation and test scores in one dict, split points and row counts that size the data, estimators wrapped
in TransformedTargetRegressor, self-tuning estimators, and leave-one-out test records."""

from __future__ import annotations

import re
import textwrap

import libcst as cst

from mlops_adapt.analysis.hpo_uses import sizing_only
from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.tasks.hpo_optuna import objective as objective_flow

from ._support import adapted, run_batch

# `train` fits and saves, `evaluate` reads the model back and scores the script's own validation and test
# splits into one dict; `all` (the default) runs both through `set_defaults(func=...)`.
SUBCOMMANDS = '''
import argparse
import pickle
import sys

from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def splits(seed):
    X, y = load_digits(return_X_y=True)
    X_rest, X_test, y_rest, y_test = train_test_split(X / 16.0, y, test_size=0.2, random_state=seed)
    X_fit, X_hold, y_fit, y_hold = train_test_split(X_rest, y_rest, test_size=0.25, random_state=seed)
    return (X_fit, y_fit), (X_hold, y_hold), (X_test, y_test)


def do_fit(args):
    (X_fit, y_fit), _, _ = splits(args.seed)
    clf = LogisticRegression(C=args.C, max_iter=args.max_iter).fit(X_fit, y_fit)
    with open(args.model_file, "wb") as fh:
        pickle.dump(clf, fh)


def do_score(args):
    with open(args.model_file, "rb") as fh:
        clf = pickle.load(fh)
    _, (X_hold, y_hold), (X_test, y_test) = splits(args.seed)
    scores = {"val_accuracy": clf.score(X_hold, y_hold), "test_accuracy": clf.score(X_test, y_test)}
    print("scores", scores)


def do_both(args):
    do_fit(args)
    do_score(args)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model-file", default="digits.pkl")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, func in (("fit", do_fit), ("both", do_both)):
        sub = commands.add_parser(name)
        sub.add_argument("--C", type=float, default=0.5)
        sub.add_argument("--max-iter", type=int, default=300)
        sub.set_defaults(func=func)
    commands.add_parser("score").set_defaults(func=do_score)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv or ["both"])
    args.func(args)


if __name__ == "__main__":
    main([])
'''

# A forecasting split at a literal point (`cut`) of a series whose length is a literal row count (`n`).
SPLIT_POINT_AND_ROW_COUNT = '''
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error


def lagged(series, lags):
    X = np.stack([series[i:i + lags] for i in range(len(series) - lags)])
    return X, series[lags:]


def main():
    n = 2500
    rng = np.random.default_rng(1)
    t = np.arange(n)
    series = np.cos(t / 30.0) + 0.1 * rng.normal(size=n)
    cut = 2000
    print(f"{n} points, split at {cut}")
    X_fit, y_fit = lagged(series[:cut], 10)
    X_val, y_val = lagged(series[cut:], 10)
    model = Ridge(alpha=0.3).fit(X_fit, y_fit)
    val_mse = mean_squared_error(y_val, model.predict(X_val))
    print(f"val_mse={val_mse:.5f}")


if __name__ == "__main__":
    main()
'''

# A target transform around a pipeline whose last step has a literal hyperparameter.
TRANSFORMED_TARGET = '''
import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import make_regression
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler


def main(seed=3):
    X, y = make_regression(n_samples=300, n_features=5, noise=5.0, random_state=seed)
    y = np.exp((y - y.min()) / 100.0)
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.25, random_state=seed)
    model = TransformedTargetRegressor(
        regressor=make_pipeline(FunctionTransformer(np.tanh), StandardScaler(), Ridge(alpha=0.5)),
        func=np.log1p, inverse_func=np.expm1,
    )
    model.fit(X_fit, y_fit)
    val_r2 = r2_score(y_val, model.predict(X_val))
    print(f"val_r2={val_r2:.4f}")


if __name__ == "__main__":
    main()
'''

# Leave-one-out recommendation: each user's last item, with sampled negatives, is a test record; the
# records are not rows of the training pairs, so no carve of those rows can stand in for them.
LEAVE_ONE_OUT = '''
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(0)
n_users, n_items = 40, 30
liked = {u: list(rng.permutation(n_items)[:8]) for u in range(n_users)}
train_pairs = [(u, i) for u, items in liked.items() for i in items[:-1]]
test_data = []
for u, items in liked.items():
    others = [i for i in range(n_items) if i not in items]
    test_data.append((u, items[-1], list(rng.choice(others, 10, replace=False))))


class Factors(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.users, self.items = nn.Embedding(n_users, width), nn.Embedding(n_items, width)

    def forward(self, u, i):
        return (self.users(u) * self.items(i)).sum(-1)


def recall_at(model, records, k):
    hits = []
    with torch.no_grad():
        for u, pos, negs in records:
            candidates = torch.tensor([pos] + negs)
            top = candidates[model(torch.full_like(candidates, u), candidates).topk(k).indices].tolist()
            hits.append(float(pos in top))
    return float(np.mean(hits))


model = Factors(width=6)
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
users = torch.tensor([u for u, _ in train_pairs])
items = torch.tensor([i for _, i in train_pairs])
for epoch in range(10):
    negatives = torch.randint(0, n_items, (len(users),))
    logits = torch.cat([model(users, items), model(users, negatives)])
    labels = torch.cat([torch.ones(len(users)), torch.zeros(len(users))])
    loss = nn.functional.binary_cross_entropy_with_logits(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
recall_at_5 = recall_at(model, test_data, 5)
print(f"recall@5 {recall_at_5:.3f}")
'''


def _suggested(code: str) -> set[str]:
    return set(re.findall(r'suggest_\w+\("(\w+)"', code))


def _evidence(body: str) -> str | None:
    """The test-split evidence the verifier reads for an objective returning `body`'s last line."""
    program = objective_flow.read(textwrap.dedent(body))
    return objective_flow.test_split_evidence(program, objective_flow.objectives(program)[0])


def test_a_dict_read_by_its_validation_key_is_not_scored_on_its_test_entry():
    template = """
        import optuna
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import train_test_split

        def objective(trial):
            X = [[i] for i in range(40)]
            y = [2 * i for i in range(40)]
            X_rest, X_test, y_rest, y_test = train_test_split(X, y, random_state=0)
            X_fit, X_val, y_fit, y_val = train_test_split(X_rest, y_rest, random_state=0)
            model = Ridge(alpha=trial.suggest_float("alpha", 0.1, 1.0)).fit(X_fit, y_fit)
            scores = {"val": model.score(X_val, y_val), "test": model.score(X_test, y_test)}
            return scores["KEY"]

        optuna.create_study().optimize(objective, n_trials=2)
    """
    assert _evidence(template.replace("KEY", "val")) is None
    assert _evidence(template.replace("KEY", "test")) is not None


def test_argparse_subcommands_tune_on_the_validation_entry_of_the_evaluate_dict():
    code = adapted("hpo-optuna", SUBCOMMANDS, n_trials="2")
    assert 'set_user_attr("val_accuracy", float(scores["val_accuracy"]))' in code
    assert _suggested(code) == {"C", "max_iter"}
    # The model file a trial writes and reads back is its own, not the script's.
    assert "tempfile.mkdtemp()" in code


def test_the_adapted_subcommand_script_runs_its_trials_and_writes_its_model(tmp_path):
    code = adapted("hpo-optuna", SUBCOMMANDS, n_trials="2")
    outcome = run_batch({"subcommands": code}, tmp_path)["subcommands"]
    assert outcome["error"] is None, outcome["error"]
    assert outcome["info"]["completed_trials"] == 2
    assert "scores {'val_accuracy'" in outcome["stdout"]
    assert (tmp_path / "subcommands" / "digits.pkl").exists()  # the final run saves where the script does


def test_a_split_point_and_a_row_count_are_not_searched():
    code = adapted("hpo-optuna", SPLIT_POINT_AND_ROW_COUNT, n_trials="2")
    assert _suggested(code) == {"alpha"}


def test_settings_read_only_to_size_or_split_data_are_told_apart_from_model_settings():
    source = textwrap.dedent("""
        import numpy as np
        import torch.nn as nn

        rows = 900
        split = 600
        hidden = 16
        window = 5
        batch_size = 32
        rng = np.random.RandomState(0)
        fresh = rng.normal(size=batch_size)
        X = rng.normal(0, 1, (rows, 3))
        noise = rng.normal(0, 0.1, size=(rows, hidden))
        X_a, X_b = X[:split], X[split:]
        recent = X[-window:]
        net = nn.Linear(3, hidden)
        print(rows, split)
    """)
    found = sizing_only(cst.parse_module(source))
    assert {"rows", "split"} <= found
    assert "hidden" not in found  # also sizes the layer
    assert "window" not in found  # a one-sided bound is not a split point
    assert "batch_size" not in found  # a batch drawn fresh each step sizes the training step


def test_a_hyperparameter_inside_a_transformed_target_pipeline_is_searched():
    code = adapted("hpo-optuna", TRANSFORMED_TARGET, n_trials="2")
    assert _suggested(code) == {"alpha"}
    assert "Ridge(alpha=optuna_trial.suggest_float(" in code


def test_a_self_tuning_estimator_with_no_literal_setting_is_refused_with_its_name():
    source = TRANSFORMED_TARGET.replace("Ridge(alpha=0.5)", "RidgeCV(alphas=grid)").replace(
        "def main(seed=3):", "def main(seed=3, grid=np.logspace(-2, 2, 9)):").replace(
        "from sklearn.linear_model import Ridge", "from sklearn.linear_model import RidgeCV")
    result = adapt(source, "hpo-optuna", AdaptOptions(backend="recipe"))
    assert not isinstance(result, Applied)
    assert "RidgeCV(alphas=grid)" in str(result)


def test_leave_one_out_test_records_are_refused_rather_than_carved():
    result = adapt(LEAVE_ONE_OUT, "hpo-optuna", AdaptOptions(backend="recipe"))
    assert not isinstance(result, Applied)
    assert "only on the test split (`test_data`)" in str(result)



def test_a_forecast_horizon_and_a_cv_gap_are_not_searched():
    source = textwrap.dedent("""
        import numpy as np
        from sklearn.linear_model import Ridge
        from sklearn.model_selection import TimeSeriesSplit, cross_val_score

        HORIZON = 3
        rng = np.random.default_rng(0)
        series = np.sin(np.arange(600) / 15.0) + 0.1 * rng.normal(size=600)
        X = np.stack([series[i:i + 8] for i in range(600 - 8 - HORIZON)])
        y = series[8 + HORIZON:]
        folds = TimeSeriesSplit(n_splits=3, gap=10)
        scores = cross_val_score(Ridge(alpha=0.2), X, y, cv=folds, scoring="neg_mean_squared_error")
        cv_mse = -scores.mean()
        print(f"cv_mse={cv_mse:.5f}")
    """)
    code = adapted("hpo-optuna", source, n_trials="2")
    assert _suggested(code) == {"alpha"}
