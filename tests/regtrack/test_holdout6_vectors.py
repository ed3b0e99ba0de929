"""Shapes public-holdout-6 showed to track-mlflow and track-wandb: a value holding several numbers (a
per-row reduction, a dict of histories) or a position (`argmax`) is never logged as one metric."""

from __future__ import annotations

import re
import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from tests.core.runner import run_script

TASKS = ["track-mlflow", "track-wandb"]


def _adapt(source: str, task: str) -> str:
    result = adapt(textwrap.dedent(source), task, AdaptOptions(backend="recipe", verify="static", path="shape.py"))
    assert isinstance(result, Applied), result
    return result.code


def _logged(code: str) -> list[str]:
    return [line.strip() for line in code.splitlines() if "log_metric" in line or "wandb.log(" in line]


# Three folds scored at once: `hits.mean(1)` is one accuracy per fold, `hits.mean()` the overall one;
# the best fold is a position in the list, and a fitting helper returns whole curves in a dict.
FOLDS = """
    import numpy as np

    LR = 0.5
    EPOCHS = 30


    def fit(X, y):
        w = np.zeros(X.shape[1])
        loss_curve, acc_curve = [], []
        for epoch in range(EPOCHS):
            p = 1 / (1 + np.exp(-X @ w))
            w -= LR * X.T @ (p - y) / len(y)
            loss_curve.append(float(-np.mean(y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9))))
            acc_curve.append(float(((p > 0.5) == y).mean()))
        return {"loss_history": loss_curve, "val_accuracy": acc_curve, "weights": w}


    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    y = (X[:, 0] + 0.3 * X[:, 1] > 0).astype(float)
    history = fit(X, y)
    print(f"final loss {history['loss_history'][-1]:.4f}")
    w = history["weights"]
    hits = ((X @ w > 0) == y).reshape(3, 30).astype(float)
    fold_acc = hits.mean(1)
    accuracy = hits.mean()
    best_by_acc = int(np.argmax(fold_acc))
    print(f"fold accuracy {[round(a, 3) for a in fold_acc.tolist()]} accuracy {accuracy:.3f}")
    print(f"best fold: rows {best_by_acc * 30}-{best_by_acc * 30 + 29}")
"""


@pytest.mark.parametrize("task", TASKS)
def test_per_row_reductions_indices_and_histories_are_not_metrics(task):
    logged = _logged(_adapt(FOLDS, task))
    assert any('"accuracy"' in line for line in logged), logged
    for name in ("fold_acc", "best_by_acc", "history"):
        assert not any(re.search(rf"\b{name}\b", line) for line in logged), (name, logged)


@pytest.mark.parametrize("reduction", ["scores.mean(1)", "scores.sum(dim=0)", "np.mean(scores, 1)", "scores.max(1)"])
def test_a_reduction_along_an_axis_is_not_scalar_evidence(reduction):
    import libcst as cst

    from mlops_adapt.analysis.metric_sites import scalar_evidence

    assert not scalar_evidence(cst.parse_expression(reduction))
    assert scalar_evidence(cst.parse_expression(reduction.split("(")[0] + "(scores)" if reduction.startswith("np.")
                                                else reduction.split("(")[0] + "()"))


@pytest.mark.parametrize("expr,index", [
    ("int(np.argmax(scores))", True), ("losses.argmin().item()", True), ("frame['acc'].idxmax()", True),
    ("(logits.argmax(1) == y).float().mean()", False), ("float(np.max(scores))", False),
])
def test_an_argmax_is_a_position_not_a_value(expr, index):
    import libcst as cst

    from mlops_adapt.analysis.metric_sites import is_index_value

    assert is_index_value(cst.parse_expression(expr)) is index


def test_the_folds_script_runs_and_logs_only_numbers(tmp_path):
    from mlflow.tracking import MlflowClient

    original = textwrap.dedent(FOLDS)
    run = run_script(_adapt(FOLDS, "track-mlflow"), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == run_script(original, tmp_path / "original").stdout
    runs = MlflowClient(tracking_uri=run.tracking_uri).search_runs(experiment_ids=["0"])
    assert [r.info.status for r in runs] == ["FINISHED"], runs
    metrics = runs[0].data.metrics
    assert "accuracy" in metrics and not {"fold_acc", "best_by_acc", "loss_history"} & set(metrics), metrics
