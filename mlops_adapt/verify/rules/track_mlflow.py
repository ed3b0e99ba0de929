"""V2/V4 rules for track-mlflow: logs happen in a run, every hyperparameter and metric is logged."""

from __future__ import annotations

from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.rules.tracking_common import (
    library_calls,
    logged_by,
    missing_hyperparams,
    missing_metrics,
)

STARTS = {"mlflow.start_run"}
ENDS = {"mlflow.end_run"}
PARAM_LOGS = {"log_param", "log_params", "set_tag", "set_tags"}
METRIC_LOGS = {"log_metric", "log_metrics"}


def run_problems(calls) -> list[str]:
    """A run must be started, and no log call may run outside it."""
    problems = []
    if not any(c.name in STARTS for c in calls):
        problems.append("no MLflow run is started (mlflow.start_run)")
    for c in calls:
        short = c.name.split(".")[-1]
        if short.startswith("log_") and not c.active:
            problems.append(f"`{c.name}` at line {c.line} runs outside an active MLflow run")
    return problems


class TrackMlflowRules(TaskRules):
    TASK = "track-mlflow"
    HELPER_NAMES = frozenset({"dataclasses"})

    def postconditions(self, original, candidate, facts, options):
        calls = library_calls(candidate, "mlflow", STARTS, ENDS)
        problems = run_problems(calls)
        autolog = any(c.name.endswith("autolog") for c in calls)
        problems += missing_hyperparams(facts, logged_by(calls, PARAM_LOGS), autolog)
        problems += missing_metrics(facts, logged_by(calls, METRIC_LOGS))
        return problems
