"""XGBoost and LightGBM scripts through track-mlflow, register-mlflow and hpo-optuna (V5-verified), and
track-mlflow followed by hpo-optuna, run against a real sqlite MLflow store."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

from ._support import SCRIPTS, adapted

BOOSTING = ["xgb_classifier_val.py", "lgbm_regressor_main.py"]
TRIALS = 3


@pytest.mark.slow
@pytest.mark.parametrize("task", ["track-mlflow", "register-mlflow", "hpo-optuna"])
@pytest.mark.parametrize("name", BOOSTING)
def test_boosting_scripts_get_executed_and_verified_edits(task, name):
    """V5 ran the adapted script in the sandbox against the real backend and its checks passed."""
    options = {"n_trials": str(TRIALS)} if task == "hpo-optuna" else {}
    result = adapt((SCRIPTS / name).read_text(), task, AdaptOptions(backend="recipe", verify="run",
                                                                     task_options=options))
    assert isinstance(result, Applied), result
    assert result.report.ok and result.report.executed, result.report.failures


def test_boosting_search_spaces_are_the_estimators_own():
    xgb = adapted("hpo-optuna", (SCRIPTS / "xgb_classifier_val.py").read_text())
    assert 'suggest_int("n_estimators", 30, 90, log=True)' in xgb
    assert 'suggest_int("max_depth", 2, 8)' in xgb
    assert 'suggest_float("learning_rate", 0.01, 0.3, log=True)' in xgb
    # Sampling fractions stay in (0, 1].
    assert 'suggest_float("subsample", 0.45, 1.0)' in xgb and 'suggest_float("colsample_bytree", 0.4, 1.0)' in xgb
    for setting in ("random_state", "n_jobs", "eval_metric"):
        assert f'suggest_int("{setting}"' not in xgb and f'suggest_categorical("{setting}"' not in xgb
    # The validation split scores the study; the test split only reports.
    assert 'set_user_attr("val_acc"' in xgb and 'set_user_attr("test_acc"' not in xgb

    lgbm = adapted("hpo-optuna", (SCRIPTS / "lgbm_regressor_main.py").read_text())
    assert 'suggest_int("num_leaves", 7, 30)' in lgbm and 'suggest_int("min_child_samples", 5, 20)' in lgbm
    # LightGBM ignores subsample unless bagging is on (subsample_freq > 0): not searched.
    assert 'suggest_float("subsample"' not in lgbm and "subsample=0.8," in lgbm
    bagging = (SCRIPTS / "lgbm_regressor_main.py").read_text().replace("subsample=0.8,", "subsample=0.8, subsample_freq=1,")
    assert 'suggest_float("subsample", 0.4, 1.0)' in adapted("hpo-optuna", bagging)


def _runs(uri: str):
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=uri)
    return client.search_runs(experiment_ids=["0"], order_by=["attributes.start_time ASC"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["xgb_classifier_val.py", "lgbm_regressor_main.py", "lgbm_quality_gate.py"])
def test_track_then_hpo_runs_end_and_trials_nest_under_the_study(name, tmp_path):
    """track-mlflow, then hpo-optuna on its output, then the script run for real: one study run with
    every trial nested under it, a final best run of its own, and no run left RUNNING. The quality
    gate script raises in some trials: their runs end FAILED, and the next trial is not nested
    under them."""
    tracked = adapted("track-mlflow", (SCRIPTS / name).read_text())
    tuned = adapted("hpo-optuna", tracked, n_trials=str(TRIALS + 1))
    script = tmp_path / "tuned.py"
    script.write_text(tuned)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {"MLFLOW_TRACKING_URI": uri, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHONWARNINGS": "ignore", "GIT_PYTHON_REFRESH": "quiet"}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]

    runs = _runs(uri)
    assert [r.info.status for r in runs if r.info.status not in ("FINISHED", "FAILED")] == []
    studies = [r for r in runs if r.info.run_name == "optuna-study"]
    assert len(studies) == 1 and studies[0].info.status == "FINISHED"
    study_id = studies[0].info.run_id
    trials = [r for r in runs if r.info.run_id != study_id and "mlflow.parentRunId" in r.data.tags]
    assert len(trials) == TRIALS + 1
    assert {r.data.tags["mlflow.parentRunId"] for r in trials} == {study_id}
    finals = [r for r in runs if r.info.run_id != study_id and "mlflow.parentRunId" not in r.data.tags]
    assert len(finals) == 1 and finals[0].info.status == "FINISHED"
    assert finals[0].info.start_time > max(r.info.start_time for r in trials)
    # Each trial logged the values it tried, not the script's defaults.
    assert len({r.data.params.get("n_estimators") for r in trials}) > 1
    failed = [r for r in trials if r.info.status == "FAILED"]
    if name == "lgbm_quality_gate.py":
        assert failed, "the gate stopped no trial: the test no longer covers a trial that stops early"
        assert all(int(r.data.params["n_estimators"]) * int(r.data.params["num_leaves"]) > 300 for r in failed)
    else:
        assert not failed
