"""V5 checks of `track-mlflow`, inlined into the generated test: a finished MLflow run; each
script-level hyperparameter (constant, argparse default, config dict key, dataclass field) is a
param, matched by NAME (case and separators ignored, prefixes like "model/" allowed) or, failing
that, by its literal VALUE; each metric is logged under a key that contains its name (or is
contained in it); a cross-validation result (`scores_mean`/`scores_std`, one result) may instead
be logged by value: the mean or std of the fold scores the script computed (observed in the
sandbox), or every fold score in one logged series.
"""

from __future__ import annotations

# inline: drop-start
from mlops_adapt.verify.testkit import (
    CV_METRICS,
    METRICS,
    metric_logged,
    metric_logged_by_value,
    missing_hyperparams,
    unlogged_cv,
    value_mismatches,
)

# inline: drop-end


def _mlflow_runs(run):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.mlflow_uri)
    experiments = [e.experiment_id for e in client.search_experiments()]
    return client.search_runs(experiments) if experiments else []


def test_mlflow_run_holds_params_and_metrics(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    runs = _mlflow_runs(run)
    assert runs, "no MLflow run was recorded"
    unfinished = [r.info.run_id for r in runs if r.info.status != "FINISHED"]
    assert not unfinished, f"MLflow run(s) not finished: {unfinished}"
    params, metrics = {}, {}
    for r in runs:
        params.update(r.data.params)
        metrics.update(r.data.metrics)
    missing = missing_hyperparams(params)
    assert not missing, f"hyperparameters not logged as MLflow params: {', '.join(missing)} (params: {sorted(params)})"
    lost = [m for m in METRICS if not metric_logged(m, metrics)]
    if set(lost) & set(CV_METRICS):
        from mlflow.tracking import MlflowClient

        client = MlflowClient(tracking_uri=run.mlflow_uri)
        series = [
            [m.value for m in client.get_metric_history(r.info.run_id, key)]
            for r in runs for key in r.data.metrics
        ]
        values = [v for s in series for v in s]
        lost = unlogged_cv(lost, run, values, series)
    if lost:
        from mlflow.tracking import MlflowClient

        client = MlflowClient(tracking_uri=run.mlflow_uri)
        logged_values = [
            m.value for r in runs for key in r.data.metrics for m in client.get_metric_history(r.info.run_id, key)
        ]
        lost = [m for m in lost if not metric_logged_by_value(m, logged_values, run.stdout)]
    assert not lost, f"metrics not logged to MLflow: {', '.join(lost)} (metrics: {sorted(metrics)})"
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.mlflow_uri)
    # One series per key across all runs: nested runs (one per compared model) log the same key,
    # and judging one of them against the lines about another model would compare the wrong figures.
    history: dict = {}
    for r in runs:
        for key in r.data.metrics:
            history.setdefault(key, []).extend(m.value for m in client.get_metric_history(r.info.run_id, key))
    wrong = value_mismatches(history, run.stdout)
    assert not wrong, "logged values differ from what the script reports: " + "; ".join(wrong)


# inline: drop-start
# The kept test's check (`apply --write --emit-test`): testgen copies the kept_ functions into
# that test, with verify/kept.py; the V5 test above does not carry them.
from mlops_adapt.verify.kept import LOGGED_METRICS, LOGGED_PARAMS, key_matches


def kept_side_effect(run):
    """a finished MLflow run holds the logged param and metric keys, every metric finite."""
    import math

    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.mlflow_uri)
    runs = client.search_runs([e.experiment_id for e in client.search_experiments()])
    assert runs, "no MLflow run was recorded"
    assert all(r.info.status == "FINISHED" for r in runs), "an MLflow run did not finish"
    params = {key for r in runs for key in r.data.params}
    metrics = {key: value for r in runs for key, value in r.data.metrics.items()}
    assert params, "no param was logged"
    assert metrics, "no metric was logged"
    missing = [key for key in LOGGED_PARAMS if not key_matches(key, params)]
    assert not missing, f"params not logged: {missing} (logged: {sorted(params)})"
    missing = [key for key in LOGGED_METRICS if not key_matches(key, metrics)]
    assert not missing, f"metrics not logged: {missing} (logged: {sorted(metrics)})"
    bad = {key: value for key, value in metrics.items() if not math.isfinite(value)}
    assert not bad, f"metrics that are not finite numbers: {bad}"
# inline: drop-end
