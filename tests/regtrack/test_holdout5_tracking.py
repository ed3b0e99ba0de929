"""Shapes public-holdout-5 showed to track-mlflow and track-wandb: a token table built from data is not
a setting, only the reported half of an unpacked result is logged, and a model built with a helper
that logs its settings starts the run."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from tests.core.runner import run_script

TASKS = ["track-mlflow", "track-wandb"]


def _adapt(source: str, task: str, name: str = "shape.py") -> str:
    result = adapt(textwrap.dedent(source), task, AdaptOptions(backend="recipe", verify="static", path=name))
    assert isinstance(result, Applied), result
    return result.code


def _mlflow_run(code: str, workdir):
    from mlflow.tracking import MlflowClient

    run = run_script(code, workdir)
    assert run.returncode == 0, run.stderr[-3000:]
    runs = MlflowClient(tracking_uri=run.tracking_uri).search_runs(experiment_ids=["0"])
    assert [r.info.status for r in runs] == ["FINISHED"], runs
    return run, runs[0]


def _wandb_run(code: str, workdir):
    from mlops_adapt.verify.wandb_offline import find_offline_runs, read_offline_run

    run = run_script(code, workdir)
    assert run.returncode == 0, run.stderr[-3000:]
    records = [read_offline_run(f) for f in find_offline_runs(run.workdir)]
    assert len(records) == 1 and records[0]["exit_code"] == 0, records
    return run, records[0]


# A word index grown from the training sentences: its first entries look like a small dict of ints.
VOCABULARY = """
    import numpy as np

    HIDDEN = 8
    LR = 0.05

    sentences = [["a", "red", "fox"], ["the", "fox", "runs"], ["a", "dog", "runs"]] * 5
    labels = np.array([1, 0, 1] * 5)
    index = {"<pad>": 0, "<unk>": 1}
    for sentence in sentences:
        for word in sentence:
            index.setdefault(word, len(index))
    X = np.zeros((len(sentences), len(index)))
    for row, sentence in enumerate(sentences):
        for word in sentence:
            X[row, index[word]] = 1.0
    w = np.zeros(len(index))
    for epoch in range(HIDDEN):
        p = 1 / (1 + np.exp(-X @ w))
        w -= LR * X.T @ (p - labels)
    accuracy = float(((X @ w > 0) == labels).mean())
    print(f"accuracy {accuracy:.3f}")
"""


@pytest.mark.parametrize("task", TASKS)
def test_a_vocabulary_grown_from_data_is_not_logged_as_params(task):
    code = _adapt(VOCABULARY, task)
    logging = [line for line in code.splitlines() if "log_params" in line or "config" in line]
    assert logging and not any("index" in line for line in logging), logging


def test_a_token_keyed_dict_is_not_a_config_even_unchanged():
    from mlops_adapt.analysis.hyperparams import is_config_dict
    import libcst as cst

    assert not is_config_dict(cst.parse_expression('{"<pad>": 0, "<unk>": 1}'), "specials")
    assert is_config_dict(cst.parse_expression('{"lr": 0.1, "batch_size": 32}'), "config")


def test_a_settings_dict_updated_with_literal_keys_stays_a_config():
    from mlops_adapt.analysis.hyperparams import grown_in_loop
    import libcst as cst

    module = cst.parse_module('config = {"lr": 0.1}\nfor i in range(2):\n    config["lr"] = 0.2\n')
    assert not grown_in_loop(module, "config")
    module = cst.parse_module('table = {"a": 0}\nfor w in words:\n    table[w] = len(table)\n')
    assert grown_in_loop(module, "table")


@pytest.mark.slow
def test_the_vocabulary_script_runs_with_its_settings_only(tmp_path):
    _, mlflow_run = _mlflow_run(_adapt(VOCABULARY, "track-mlflow"), tmp_path / "mlflow")
    assert mlflow_run.data.params == {"HIDDEN": "8", "LR": "0.05"}
    _, record = _wandb_run(_adapt(VOCABULARY, "track-wandb"), tmp_path / "wandb")
    assert set(record["config"]) == {"HIDDEN", "LR"}


# An evaluation helper returns the squared error and its root; the script reports only the root.
ROOT_REPORTED = """
    import math

    import numpy as np

    rng = np.random.default_rng(3)
    X = rng.normal(size=(120, 3))
    y = X @ np.array([0.5, -1.0, 2.0]) + rng.normal(scale=0.3, size=120)


    def evaluate(weights, features, target):
        mse = float(np.mean((features @ weights - target) ** 2))
        return mse, math.sqrt(mse)


    weights = np.linalg.lstsq(X[:80], y[:80], rcond=None)[0]
    valid_mse, valid_rmse = evaluate(weights, X[80:100], y[80:100])
    print(f"valid mse {valid_mse:.4f} valid rmse {valid_rmse:.4f}")
    test_mse, test_rmse = evaluate(weights, X[100:], y[100:])
    print(f"test rmse {test_rmse:.4f}")
"""


@pytest.mark.parametrize("task", TASKS)
def test_only_the_reported_part_of_an_unpacked_result_is_logged(task):
    code = _adapt(ROOT_REPORTED, task)
    assert '"test_rmse"' in code and '"test_mse"' not in code
    assert '"valid_mse"' in code and '"valid_rmse"' in code  # both shown: both logged


@pytest.mark.slow
def test_the_logged_root_is_the_printed_one(tmp_path):
    run, mlflow_run = _mlflow_run(_adapt(ROOT_REPORTED, "track-mlflow"), tmp_path / "mlflow")
    printed = next(line for line in run.stdout.splitlines() if line.startswith("test rmse"))
    assert "test_mse" not in mlflow_run.data.metrics
    assert printed == f"test rmse {mlflow_run.data.metrics['test_rmse']:.4f}"
    run, record = _wandb_run(_adapt(ROOT_REPORTED, "track-wandb"), tmp_path / "wandb")
    printed = next(line for line in run.stdout.splitlines() if line.startswith("test rmse"))
    assert "test_mse" not in record["summary"]
    assert printed == f"test rmse {record['summary']['test_rmse']:.4f}"


# Models built before the comparison, one of them with a helper whose literal arguments are logged.
HELPER_BUILT = """
    import numpy as np
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler


    def poly_features(degree):
        return PolynomialFeatures(degree=degree, include_bias=False, interaction_only=True)


    rng = np.random.default_rng(5)
    X = rng.normal(size=(150, 3))
    y = X[:, 0] * X[:, 1] + rng.normal(scale=0.1, size=150)
    folds = KFold(n_splits=3, shuffle=True, random_state=0)
    plain = make_pipeline(StandardScaler(with_mean=True), Ridge(alpha=1.0))
    crossed = make_pipeline(poly_features(2), StandardScaler(with_mean=True), Ridge(alpha=1.0))
    for name, model in {"plain": plain, "crossed": crossed}.items():
        r2 = cross_val_score(model, X, y, cv=folds).mean()
        print(f"{name}: r2 {r2:.4f}")
"""


@pytest.mark.parametrize("task", TASKS)
def test_a_model_built_by_a_logging_helper_is_built_inside_the_run(task):
    code = _adapt(HELPER_BUILT, task)
    start = "mlflow.start_run(" if task == "track-mlflow" else "wandb.init("
    assert code.index(start) < code.index("crossed = make_pipeline(poly_features(2)"), code


@pytest.mark.slow
def test_the_helper_built_model_script_runs_in_one_run(tmp_path):
    _, mlflow_run = _mlflow_run(_adapt(HELPER_BUILT, "track-mlflow"), tmp_path / "mlflow")
    assert mlflow_run.data.params.get("interaction_only") == "True"
    _, record = _wandb_run(_adapt(HELPER_BUILT, "track-wandb"), tmp_path / "wandb")
    assert record["config"].get("interaction_only") is True
