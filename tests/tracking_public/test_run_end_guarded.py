"""V4 rejects a run started by a bare start_run() whose end_run() an exception would skip."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate
from tests.core.runner import run_script

ORIGINAL = textwrap.dedent("""
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    C = 0.5
    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(C=C, max_iter=300)
    model.fit(X, y)
    acc = model.score(X, y)
    print(f"acc={acc:.3f}")
""")

BARE = ORIGINAL.replace("from sklearn.linear_model import LogisticRegression\n",
                        "from sklearn.linear_model import LogisticRegression\nimport mlflow\n").replace(
    'model = LogisticRegression(C=C, max_iter=300)\n',
    'model = LogisticRegression(C=C, max_iter=300)\nmlflow.start_run(run_name="bare")\n'
    'mlflow.log_params({"C": C})\n').replace(
    'print(f"acc={acc:.3f}")\n', 'mlflow.log_metric("acc", acc)\nprint(f"acc={acc:.3f}")\nmlflow.end_run()\n')

FINALLY = BARE.replace('mlflow.start_run(run_name="bare")\n', 'mlflow.start_run(run_name="bare")\ntry:\n').replace(
    'mlflow.log_params', '    mlflow.log_params').replace("model.fit", "    model.fit").replace(
    "acc = model", "    acc = model").replace("mlflow.log_metric", "    mlflow.log_metric").replace(
    "print(f", "    print(f").replace("mlflow.end_run()\n", "finally:\n    mlflow.end_run()\n")


def _failures(original: str, candidate: str) -> str:
    return " ".join(verify_candidate(original, candidate, "track-mlflow", AdaptOptions(verify="static")).failures)


def test_a_bare_start_and_end_pair_is_rejected_with_the_reason():
    assert "starts a run outside `with`" in _failures(ORIGINAL, BARE)
    assert "starts a run outside `with`" in _failures(ORIGINAL, BARE.replace("mlflow.end_run()\n", ""))


def test_an_end_in_a_finally_is_accepted():
    compile(FINALLY, "finally.py", "exec")
    assert "outside `with`" not in _failures(ORIGINAL, FINALLY)


def _cells(text: str) -> str:
    return "# %%\n" + text.replace("\nC = 0.5\n", "\n# %%\nC = 0.5\n")


def test_cell_scripts_keep_their_flat_run():
    cells = _cells
    assert "outside `with`" not in _failures(cells(ORIGINAL), cells(BARE))


def test_the_scripts_own_flat_run_is_not_the_edits_fault():
    assert "outside `with`" not in _failures(BARE, BARE.replace('mlflow.log_metric("acc", acc)\n', ""))


@pytest.mark.slow
def test_why_a_crash_after_a_bare_start_leaves_the_run_not_failed(tmp_path):
    """The rule's reason, run for real: a crash between a bare start and its end leaves the run
    RUNNING or FINISHED; the same crash inside `with mlflow.start_run():` ends it FAILED."""
    from mlflow.tracking import MlflowClient

    crash = "model.fit(X, y[:3])"
    bare = BARE.replace("model.fit(X, y)", crash)
    with_run = ORIGINAL.replace(
        "from sklearn.linear_model import LogisticRegression\n",
        "from sklearn.linear_model import LogisticRegression\nimport mlflow\n").replace(
        "model.fit(X, y)", 'with mlflow.start_run(run_name="with"):\n    ' + crash)
    statuses = {}
    for name, code in (("bare", bare), ("with", with_run)):
        run = run_script(code, tmp_path / name)
        assert run.returncode != 0
        runs = MlflowClient(tracking_uri=run.tracking_uri).search_runs(experiment_ids=["0"])
        statuses[name] = [r.info.status for r in runs]
    assert statuses["with"] == ["FAILED"]
    assert len(statuses["bare"]) == 1 and statuses["bare"][0] in ("RUNNING", "FINISHED"), statuses
