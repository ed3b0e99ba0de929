"""Task `track-mlflow`: track hyperparameters and metrics with MLflow."""

from __future__ import annotations

from mlops_adapt.applicability import Signals, trains
from mlops_adapt.tasks.spec import TaskSpec


def applies(sig: Signals) -> bool:
    """Does this file look like it wants `track-mlflow`?"""
    tracked = "mlflow" in sig.imports and bool(
        {"log_metric", "log_metrics", "log_param", "log_params", "autolog"} & sig.calls
    )
    return trains(sig) and not tracked


SPEC = TaskSpec(
    id="track-mlflow",
    kind="inline",
    target="MLflow",
    library="mlflow",
    title="Track hyperparameters and metrics with MLflow",
    applies=applies,
    order=0,
    paper_group="experiment tracking",
    tags=frozenset({"tracking"}),
)
