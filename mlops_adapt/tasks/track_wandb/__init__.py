"""Task `track-wandb`: track hyperparameters and metrics with Weights & Biases."""

from __future__ import annotations

from mlops_adapt.applicability import Signals, trains
from mlops_adapt.tasks.spec import TaskSpec


def applies(sig: Signals) -> bool:
    """Does this file look like it wants `track-wandb`?"""
    return trains(sig) and not ("wandb" in sig.imports and "log" in sig.calls)


SPEC = TaskSpec(
    id="track-wandb",
    kind="inline",
    target="Weights & Biases",
    library="wandb",
    title="Track hyperparameters and metrics with Weights & Biases",
    applies=applies,
    options={"project": "the W&B project the run is logged to"},
    order=1,
    paper_group="experiment tracking",
    tags=frozenset({"tracking"}),
    test_support=("wandb_offline",),
)
