"""Task `optimize-prune`: prune the trained torch model and report the metric before and after."""

from __future__ import annotations

from mlops_adapt.applicability import Signals, trains_torch
from mlops_adapt.tasks.spec import TaskSpec


def applies(sig: Signals) -> bool:
    """Does this file look like it wants `optimize-prune`?"""
    return trains_torch(sig) and not {"global_unstructured", "l1_unstructured"} & sig.text_has


SPEC = TaskSpec(
    id="optimize-prune",
    kind="inline",
    target="torch.nn.utils.prune",
    library="torch",
    title="Prune the trained torch model and report the metric before and after",
    applies=applies,
    options={"amount": "the fraction of weights to prune (0-1)"},
    order=4,
    paper_group="model optimization",
    tags=frozenset({"optimization"}),
)
