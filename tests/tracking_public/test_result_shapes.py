"""Results a tracker cannot take as they are: Series and arrays, keys built from loop names, and
out-parameters a training call fills; the adapted scripts run against sqlite MLflow / offline W&B."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.verify.pipeline import verify_candidate
from tests.core.runner import run_script

# A latent `score` Series built from frame columns, and a frame's per-column mean: neither is one
# number. The held-out accuracy is.
FRAME_SCRIPT = textwrap.dedent('''
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_validate

    C = 0.7
    rng = np.random.RandomState(3)
    table = pd.DataFrame({"height": rng.normal(170, 9, 300), "weight": rng.normal(70, 11, 300)})
    score = 0.02 * (table["height"] - 170) + np.log(table["weight"]) - 4.2
    label = (score + rng.normal(0, 0.2, 300) > 0).astype(int)
    folds = pd.DataFrame(cross_validate(LogisticRegression(C=C), table, label, cv=4, scoring=["accuracy"]))
    mean_score = folds.mean()
    print(mean_score)
    model = LogisticRegression(C=C).fit(table[:200], label[:200])
    accuracy = model.score(table[200:], label[200:])
    print(f"held-out accuracy: {accuracy:.4f}")
''')

# Two pipelines per k, named by strings; one name holds "+", which MLflow refuses in a key.
LOOP_NAME_SCRIPT = textwrap.dedent('''
    from sklearn.datasets import load_iris
    from sklearn.decomposition import PCA
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline

    K = 5
    X, y = load_iris(return_X_y=True)
    for label, reduce in (("knn", False), ("pca+knn", True)):
        steps = [PCA(n_components=2)] if reduce else []
        model = make_pipeline(*steps, KNeighborsClassifier(n_neighbors=K)).fit(X[::2], y[::2])
        acc = model.score(X[1::2], y[1::2])
        print(f"{label}: acc={acc:.4f}")
''')

# A result dict whose keys MLflow refuses ("f1 (macro)"), returned by the script's own function.
DICT_KEYS_SCRIPT = textwrap.dedent('''
    from sklearn.datasets import load_wine
    from sklearn.metrics import balanced_accuracy_score, f1_score
    from sklearn.tree import DecisionTreeClassifier

    DEPTH = 3


    def report(model, X, y):
        pred = model.predict(X)
        return {"balanced accuracy": balanced_accuracy_score(y, pred), "f1 (macro)": f1_score(y, pred, average="macro")}


    X, y = load_wine(return_X_y=True)
    model = DecisionTreeClassifier(max_depth=DEPTH, random_state=0).fit(X[::2], y[::2])
    scores = report(model, X[1::2], y[1::2])
    print(scores)
''')

# An out-parameter: `history = {}` is filled by xgb.train, then read for the printed result.
OUT_PARAMETER_SCRIPT = textwrap.dedent('''
    import xgboost as xgb
    from sklearn.datasets import load_diabetes

    ROUNDS = 30
    X, y = load_diabetes(return_X_y=True)
    train = xgb.DMatrix(X[:300], label=y[:300])
    valid = xgb.DMatrix(X[300:], label=y[300:])
    history = {}
    booster = xgb.train({"max_depth": 2, "eta": 0.2, "nthread": 1}, train, ROUNDS,
                        evals=[(train, "fit"), (valid, "holdout")], evals_result=history, verbose_eval=False)
    print("final holdout rmse: %.4f" % history["holdout"]["rmse"][-1])
''')


def _adapt(source: str, task: str, name: str) -> str:
    result = adapt(source, task, AdaptOptions(backend="recipe", verify="static", path=name))
    assert isinstance(result, Applied), result
    return result.code


def _mlflow_runs(run):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.tracking_uri)
    return client, client.search_runs(experiment_ids=["0"])


def _wandb_runs(run):
    from mlops_adapt.verify.wandb_offline import find_offline_runs, read_offline_run

    return [read_offline_run(f) for f in find_offline_runs(run.workdir)]


@pytest.mark.parametrize("task", ["track-mlflow", "track-wandb"])
def test_a_series_or_a_frames_mean_is_not_logged_as_a_metric(task):
    code = _adapt(FRAME_SCRIPT, task, "frame.py")
    logged = [line.strip() for line in code.splitlines() if "log_metric" in line or "wandb.log(" in line]
    assert logged and all("accuracy" in line for line in logged), logged
    assert not any("score" in line for line in logged), logged


@pytest.mark.slow
def test_a_frame_script_runs_and_logs_its_scalar_result(tmp_path):
    run = run_script(_adapt(FRAME_SCRIPT, "track-mlflow", "frame.py"), tmp_path / "mlflow")
    assert run.returncode == 0, run.stderr[-3000:]
    _, runs = _mlflow_runs(run)
    assert [r.info.status for r in runs] == ["FINISHED"]
    printed = next(line for line in run.stdout.splitlines() if line.startswith("held-out accuracy"))
    assert f"{runs[0].data.metrics['accuracy']:.4f}" in printed
    run = run_script(_adapt(FRAME_SCRIPT, "track-wandb", "frame.py"), tmp_path / "wandb")
    assert run.returncode == 0, run.stderr[-3000:]
    [record] = _wandb_runs(run)
    assert record["exit_code"] == 0 and "accuracy" in record["summary"]


@pytest.mark.slow
@pytest.mark.parametrize("task", ["track-mlflow", "track-wandb"])
def test_keys_built_from_loop_names_are_valid_mlflow_keys_in_both_trackers(task, tmp_path):
    code = _adapt(LOOP_NAME_SCRIPT, task, "loop_names.py")
    assert "label.replace('+', '_')" in code
    run = run_script(code, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    if task == "track-mlflow":
        _, runs = _mlflow_runs(run)
        assert [r.info.status for r in runs] == ["FINISHED"]
        keys = set(runs[0].data.metrics)
    else:
        [record] = _wandb_runs(run)
        assert record["exit_code"] == 0
        keys = {k for k in record["summary"] if not k.startswith("_")}
    assert {"knn/acc", "pca_knn/acc"} <= keys, keys


def test_plain_loop_names_keep_their_plain_key():
    code = _adapt(LOOP_NAME_SCRIPT.replace('"pca+knn"', '"pca-knn"'), "track-mlflow", "loop_names.py")
    assert 'mlflow.log_metric(f"{label}/acc", acc)' in code


def test_a_dict_filled_by_the_training_call_is_not_a_reset():
    """`history = {}` then `xgb.train(..., evals_result=history)`: a log after the call reads the filled dict."""
    code = _adapt(OUT_PARAMETER_SCRIPT, "track-mlflow", "out_param.py")
    assert 'mlflow.log_metric("final_holdout_rmse", history["holdout"]["rmse"][-1])' in code
    report = verify_candidate(OUT_PARAMETER_SCRIPT, code, "track-mlflow", AdaptOptions(verify="static"))
    assert report.ok, report.failures
    # Logged right after the reset, before the call fills it: still the reset value.
    first = '    mlflow.log_params({"ROUNDS": ROUNDS})\n'
    bad = code.replace(first, first + '    mlflow.log_metric("final_holdout_rmse", history["holdout"]["rmse"][-1])\n', 1)
    assert bad != code
    report = verify_candidate(OUT_PARAMETER_SCRIPT, bad, "track-mlflow", AdaptOptions(verify="static"))
    assert not report.ok and "right after it is reset" in " ".join(report.failures), report.failures


def test_a_filled_history_inside_a_fold_loop_gets_no_curves():
    """One curve per fold would write the same keys and steps again: only the printed result is logged."""
    looped = OUT_PARAMETER_SCRIPT.replace("history = {}\n", "for fold in range(2):\n    history = {}\n").replace(
        "booster = xgb.train(", "    booster = xgb.train(").replace(
        "                        evals=", "                            evals=").replace(
        'print("final', '    print("final')
    code = _adapt(looped, "track-mlflow", "out_param.py")
    assert "_curves" not in code and "final_holdout_rmse" in code


@pytest.mark.slow
def test_a_dict_filled_by_the_training_call_is_logged_as_curves_after_the_call(tmp_path):
    code = _adapt(OUT_PARAMETER_SCRIPT, "track-mlflow", "out_param.py")
    assert code.index("evals_result=history") < code.index("_curves = ")
    run = run_script(code, tmp_path / "mlflow")
    assert run.returncode == 0, run.stderr[-3000:]
    client, runs = _mlflow_runs(run)
    assert [r.info.status for r in runs] == ["FINISHED"]
    assert f"{runs[0].data.metrics['final_holdout_rmse']:.4f}" in run.stdout
    curve = client.get_metric_history(runs[0].info.run_id, "holdout/rmse")
    assert [m.step for m in curve] == list(range(30))
    assert f"{curve[-1].value:.4f}" in run.stdout  # the last round is the printed final value
    assert len(client.get_metric_history(runs[0].info.run_id, "fit/rmse")) == 30
    run = run_script(_adapt(OUT_PARAMETER_SCRIPT, "track-wandb", "out_param.py"), tmp_path / "wandb")
    assert run.returncode == 0, run.stderr[-3000:]
    [record] = _wandb_runs(run)
    assert record["exit_code"] == 0
    rounds = [row for row in record["history"] if "holdout/rmse" in row]
    assert [row["round"] for row in rounds] == list(range(30))
    assert all("fit/rmse" in row for row in rounds)


@pytest.mark.parametrize("task", ["track-mlflow", "track-wandb"])
def test_a_result_dict_with_keys_mlflow_refuses_is_logged_entry_by_entry(task):
    code = _adapt(DICT_KEYS_SCRIPT, task, "dict_keys.py")
    assert 'scores["f1 (macro)"]' in code and '"f1_macro"' in code and '"balanced_accuracy"' in code
    assert "log_metrics(scores)" not in code and "wandb.log(scores)" not in code


@pytest.mark.slow
def test_a_result_dict_with_keys_mlflow_refuses_runs_and_logs_every_entry(tmp_path):
    run = run_script(_adapt(DICT_KEYS_SCRIPT, "track-mlflow", "dict_keys.py"), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    _, runs = _mlflow_runs(run)
    assert [r.info.status for r in runs] == ["FINISHED"]
    assert {"balanced_accuracy", "f1_macro"} <= set(runs[0].data.metrics)
