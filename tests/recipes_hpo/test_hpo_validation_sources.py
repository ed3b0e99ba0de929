"""hpo-optuna on scripts whose study must find (or make) its validation data: a metric computed only on
validation rows, a library's "valid" evaluation record, rows chosen by a mask or by pandas sampling, a
leave-last-out split per group, hyperparameters in dataclasses parsed by an argument parser, and a
printed metric function over boosting continued from a saved model."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

from ._support import adapted

TRIALS = 2

# Validation episodes scored inside the training function; the test scores come from another function.
VALIDATED_IN_TRAINING = """
import numpy as np
import torch
import torch.nn as nn


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def train(X_tr, y_tr, X_va, y_va, model, optimizer, epochs):
    best_acc = 0.0
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X_tr), y_tr)
        loss.backward()
        optimizer.step()
        for x, y in [(X_va, y_va)]:
            acc = accuracy(model, x, y)
        best_acc = max(best_acc, acc)
    return best_acc


def test(X_te, y_te, model):
    test_acc = accuracy(model, X_te, y_te)
    print(f"test acc {test_acc:.4f}")
    return test_acc


def main():
    torch.manual_seed(0)
    X = torch.randn(200, 4)
    y = (X[:, 0] > 0).long()
    perm = torch.randperm(150)
    tr_idx, va_idx = perm[:120], perm[120:]
    te_idx = torch.arange(150, 200)
    model = nn.Linear(4, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    best_acc = train(X[tr_idx], y[tr_idx], X[va_idx], y[va_idx], model, optimizer, epochs=5)
    print(f"best val acc {best_acc:.4f}")
    test(X[te_idx], y[te_idx], model)


if __name__ == "__main__":
    main()
"""

# xgboost's record of its evaluations holds the validation curve; the test rows follow a cut index.
VALID_RECORD = """
import numpy as np
import xgboost as xgb

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 4))
y = X[:, 0] * 2 + rng.normal(0, 0.1, 300)
test_cut = 240
X_dev, X_test = X[:test_cut], X[test_cut:]
y_dev, y_test = y[:test_cut], y[test_cut:]
dtrain = xgb.DMatrix(X_dev[:180], label=y_dev[:180])
dvalid = xgb.DMatrix(X_dev[180:], label=y_dev[180:])
params = {"max_depth": 3, "eta": 0.1}
evals_result = {}
bst = xgb.train(params, dtrain, num_boost_round=20, evals=[(dvalid, "valid")], evals_result=evals_result,
                verbose_eval=False)
best_rmse = evals_result["valid"]["rmse"][-1]
print(f"valid rmse {best_rmse:.4f}")
test_mse = float(np.mean((bst.predict(xgb.DMatrix(X_test)) - y_test) ** 2))
print(f"test mse {test_mse:.4f}")
"""

# Rows kept by a boolean mask; the study must score held-out training rows, never the masked-out ones.
MASKED_ROWS = """
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

scored = globals().setdefault("scored", [])  # one list over every run of the script

rng = np.random.default_rng(1)
df = pd.DataFrame({"x1": rng.normal(size=300), "x2": rng.normal(size=300)})
df["label"] = (df["x1"] + 0.5 * df["x2"] > 0).astype(int)
msk = rng.random(len(df)) < 0.8
train = df[msk]
test = df[~msk]
clf = LogisticRegression(C=1.0, max_iter=200)
clf.fit(train[["x1", "x2"]], train["label"])
scored.append((bool(msk[test.index].all()), type(globals().get("optuna_trial")).__name__))  # scored on training rows?
acc = accuracy_score(test["label"], clf.predict(test[["x1", "x2"]]))
print("test accuracy", round(acc, 4))
"""

SAMPLED_ROWS = """
import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error

rng = np.random.default_rng(0)
df = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
df["target"] = 2 * df["a"] - df["b"]
train_df = df.sample(frac=0.8, random_state=0)
test_df = df.drop(train_df.index)
model = GradientBoostingRegressor(n_estimators=30, learning_rate=0.1, random_state=0)
model.fit(train_df[["a", "b"]], train_df["target"])
mae = mean_absolute_error(test_df["target"], model.predict(test_df[["a", "b"]]))
print("test mae", round(mae, 4))
"""

# Leave-one-out per user: the last item of each user is its test item.
LEFT_OUT_LAST = """
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(0)
histories = {u: list(rng.permutation(30)[:6]) for u in range(20)}
train_items = {u: set(items[:-1]) for u, items in histories.items()}
test_item = {u: items[-1] for u, items in histories.items()}
test_cases = []
for u, pos in test_item.items():
    negatives = [i for i in range(30) if i not in train_items[u] and i != pos][:9]
    test_cases.append((u, pos, negatives))

users = nn.Embedding(20, 8)
items = nn.Embedding(30, 8)
optimizer = torch.optim.Adam(list(users.parameters()) + list(items.parameters()), lr=0.05)
pairs = torch.tensor([(u, i) for u, seen in train_items.items() for i in sorted(seen)])
for epoch in range(3):
    optimizer.zero_grad()
    scores = (users(pairs[:, 0]) * items(pairs[:, 1])).sum(1)
    loss = nn.functional.softplus(-scores).mean()
    loss.backward()
    optimizer.step()
hits = []
with torch.no_grad():
    for u, pos, negatives in test_cases:
        candidates = torch.tensor([pos] + negatives)
        ranked = candidates[(users.weight[u] * items(candidates)).sum(1).argsort(descending=True)][:3]
        hits.append(float(pos in ranked.tolist()))
hit_rate = float(np.mean(hits))
print(f"HR@3 {hit_rate:.3f}")
"""

# transformers-style arguments: dataclass fields turned into flags by a parser subclass.
PARSED_DATACLASSES = """
import dataclasses
from argparse import ArgumentParser
from dataclasses import dataclass, field

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


@dataclass
class ModelArguments:
    C: float = field(default=1.0, metadata={"help": "inverse regularisation"})
    max_iter: int = field(default=200)


@dataclass
class RunArguments:
    output_dir: str = field(default="out")
    seed: int = 0


class DataclassParser(ArgumentParser):
    def __init__(self, types):
        super().__init__()
        self.types = types
        for kind in types:
            for f in dataclasses.fields(kind):
                self.add_argument(f"--{f.name}", default=f.default, type=type(f.default))

    def parse_args_into_dataclasses(self):
        namespace = vars(self.parse_args())
        return tuple(kind(**{f.name: namespace[f.name] for f in dataclasses.fields(kind)}) for kind in self.types)


def main():
    parser = DataclassParser((ModelArguments, RunArguments))
    model_args, run_args = parser.parse_args_into_dataclasses()
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=run_args.seed)
    clf = LogisticRegression(C=model_args.C, max_iter=model_args.max_iter)
    clf.fit(X_train, y_train)
    val_accuracy = accuracy_score(y_val, clf.predict(X_val))
    print(f"validation accuracy {val_accuracy:.4f}")


if __name__ == "__main__":
    main()
"""

# Boosting continued from the model file the first stage saved; the metric is a one-line function, printed.
CONTINUED_BOOSTING = """
import lightgbm as lgb
import numpy as np
from sklearn.metrics import mean_squared_error

rng = np.random.default_rng(0)
X = rng.normal(size=(400, 5))
y = X[:, 0] - X[:, 1] + rng.normal(0, 0.1, 400)
X_train, y_train = X[:320], y[:320]
X_test, y_test = X[320:], y[320:]
train_set = lgb.Dataset(X_train, y_train, free_raw_data=False)
params = {"objective": "regression", "num_leaves": 15, "learning_rate": 0.1, "verbose": -1}


def rmse(model):
    return mean_squared_error(y_test, model.predict(X_test)) ** 0.5


gbm = lgb.train(params, train_set, num_boost_round=10)
gbm.save_model("model.txt")
gbm = lgb.train(params, train_set, num_boost_round=10, init_model="model.txt")
print(f"final rmse={rmse(gbm):.4f}")
"""


def _reported(code: str) -> list[str]:
    return re.findall(r'set_user_attr\("(\w+)"', code)


def _carve(code: str) -> str:
    """The statements a trial runs in place of the test split (the body of the trial-only `if`)."""
    lines = code.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("# A trial is scored on a validation"))
    indent = len(lines[start]) - len(lines[start].lstrip())
    body = []
    for line in lines[start + 1:]:
        if len(line) - len(line.lstrip()) < indent or not line.strip():
            break
        body.append(line)
    return "\n".join(body)


def test_a_metric_computed_only_on_validation_data_is_the_objective_not_the_test_score():
    code = adapted("hpo-optuna", textwrap.dedent(VALIDATED_IN_TRAINING))
    assert _reported(code) in (["best_acc"], ["acc"]) and "def train" in code.split("set_user_attr")[0]
    assert "FixedTrial):\n" not in code.split("def run_experiment")[0]  # no carve: the script validates already


def test_a_score_read_from_the_valid_evaluation_record_is_the_objective():
    code = adapted("hpo-optuna", textwrap.dedent(VALID_RECORD))
    assert _reported(code) == ["best_rmse"]
    assert "FixedTrial):\n        #" not in code  # test_cut is a count, not test data: nothing to carve


def test_rows_chosen_by_a_mask_or_by_pandas_sampling_are_carved_from_the_training_rows():
    masked = adapted("hpo-optuna", textwrap.dedent(MASKED_ROWS))
    assert _carve(masked).strip() == "train, test = train[:len(train) * 3 // 4], train[len(train) * 3 // 4:]"
    sampled = adapted("hpo-optuna", textwrap.dedent(SAMPLED_ROWS))
    assert _carve(sampled).strip() == (
        "train_df, test_df = train_df[:len(train_df) * 3 // 4], train_df[len(train_df) * 3 // 4:]")


def test_a_left_out_last_item_per_group_is_replaced_by_the_last_training_item_in_trials():
    code = adapted("hpo-optuna", textwrap.dedent(LEFT_OUT_LAST))
    assert [line.strip() for line in _carve(code).splitlines()] == [
        "histories_train = {u: items[:-1] for u, items in histories.items()}",
        "train_items = {u: set(items[:-1]) for u, items in histories_train.items()}",
        "test_item = {u: items[-1] for u, items in histories_train.items()}",
    ]


def test_without_a_complement_the_test_only_score_is_still_refused():
    # Test rows drawn on their own (not the complement of the training rows): no clean validation carve.
    source = textwrap.dedent(MASKED_ROWS).replace("test = df[~msk]", "test = df.sample(frac=0.2, random_state=1)")
    result = adapt(source, "hpo-optuna", AdaptOptions(backend="recipe"))
    assert not isinstance(result, Applied)
    assert "only on the test split" in " ".join(result.reasons)


def test_dataclass_fields_parsed_by_an_argument_parser_are_searched_on_the_instances():
    code = adapted("hpo-optuna", textwrap.dedent(PARSED_DATACLASSES))
    assert re.search(r"model_args, run_args = parser\.parse_args_into_dataclasses\(\)\n"
                     r"    if optuna_trial is not None:\n"
                     r"        model_args\.C = optuna_trial\.suggest_float\(\"C\", 0\.1, 10\.0, log=True\)\n"
                     r"        model_args\.max_iter = optuna_trial\.suggest_int\(\"max_iter\"", code)
    assert "run_args.seed =" not in code and "output_dir" not in code.split("parse_args_into_dataclasses()")[-1]


def test_continued_boosting_reads_the_trial_s_own_model_file_and_scores_held_out_training_rows():
    code = adapted("hpo-optuna", textwrap.dedent(CONTINUED_BOOSTING))
    assert 'optuna_trial.set_user_attr("final_rmse", float(rmse(gbm)))' in code
    assert 'init_model=trial_path("model.txt")' in code and 'gbm.save_model(trial_path("model.txt"))' in code
    assert "X_train, X_test, y_train, y_test = X_train[:len(X_train) * 3 // 4]" in _carve(code)


def _run(source: str, folder: Path, *names: str) -> dict:
    """Run the script as __main__ in a real Python process; the study's completed trials and the named globals."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "script.py").write_text(source)
    probe = (
        "import contextlib, io, json, runpy\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    ns = runpy.run_path('script.py', run_name='__main__')\n"
        "study = ns.get('study')\n"
        f"found = {{name: ns.get(name) for name in {list(names)!r}}}\n"
        "found['best_params'] = study.best_params if study is not None else None\n"
        "found['completed'] = sum(t.state.name == 'COMPLETE' for t in study.trials) if study is not None else 0\n"
        "print(json.dumps(found, default=str))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=folder, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_trials_over_masked_rows_never_score_the_test_rows(tmp_path):
    run = _run(adapted("hpo-optuna", textwrap.dedent(MASKED_ROWS), n_trials=str(TRIALS)), tmp_path / "tuned", "scored")
    assert run["completed"] == TRIALS and set(run["best_params"]) == {"C", "max_iter"}
    on_training_rows = {kind: set() for _, kind in run["scored"]}
    for training_rows, kind in run["scored"]:
        on_training_rows[kind].add(training_rows)
    assert on_training_rows == {"Trial": {True}, "FixedTrial": {False}}  # the final run reports on the test rows


@pytest.mark.slow
def test_parsed_dataclass_settings_change_the_model_in_each_trial(tmp_path):
    run = _run(adapted("hpo-optuna", textwrap.dedent(PARSED_DATACLASSES), n_trials=str(TRIALS)), tmp_path / "tuned")
    assert run["completed"] == TRIALS and set(run["best_params"]) == {"C", "max_iter"}
