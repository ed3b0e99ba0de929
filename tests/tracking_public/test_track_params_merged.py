"""track-mlflow logs the settings it finds at one place with one log_params call."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.tasks.track_mlflow.merge_params import MergeLogParams
from tests.core.runner import run_script

SCRIPT = textwrap.dedent("""
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split

    N_ESTIMATORS = 20

    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
    model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=4)
    model.fit(X_train, y_train)
    acc = accuracy_score(y_test, model.predict(X_test))
    print(f"accuracy: {acc:.3f}")
""")


def _track(source: str) -> str:
    result = adapt(source, "track-mlflow", AdaptOptions(backend="recipe", verify="static", path="merged.py"))
    assert isinstance(result, Applied), result
    return result.code


def test_constants_split_settings_and_model_arguments_are_one_log_params_call():
    code = _track(SCRIPT)
    lines = [line.strip() for line in code.splitlines() if "log_params" in line]
    assert lines == [('mlflow.log_params({"N_ESTIMATORS": N_ESTIMATORS, "test_size": 0.25, "random_state": 0, '
                      '"max_depth": 4})')]


@pytest.mark.parametrize(
    "between",
    [
        "",  # the same key twice: one dict would keep only the second value
        "# settings of the model\n",  # a comment introduces the second call
    ],
)
def test_calls_that_would_change_meaning_or_lose_a_comment_stay_apart(between):
    key = "a" if not between else "b"
    source = f'mlflow.log_params({{"a": 1}})\n{between}mlflow.log_params({{"{key}": 2}})\n'
    assert cst.parse_module(source).visit(MergeLogParams()).code == source


def test_calls_in_different_blocks_stay_apart():
    source = 'mlflow.log_params({"a": 1})\nfor i in range(2):\n    mlflow.log_params({"b": i})\n'
    assert cst.parse_module(source).visit(MergeLogParams()).code == source


@pytest.mark.slow
def test_the_merged_call_logs_every_setting_in_the_run(tmp_path):
    from mlflow.tracking import MlflowClient

    run = run_script(_track(SCRIPT), tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    runs = MlflowClient(tracking_uri=run.tracking_uri).search_runs(experiment_ids=["0"])
    assert len(runs) == 1 and runs[0].info.status == "FINISHED"
    assert runs[0].data.params == {"N_ESTIMATORS": "20", "test_size": "0.25", "random_state": "0", "max_depth": "4"}
