"""Task `optimize-quantize`: quantize the trained torch model (dynamic int8) and report the metric."""

from __future__ import annotations

from mlops_adapt.applicability import Signals, trains_torch
from mlops_adapt.tasks.spec import TaskSpec


def applies(sig: Signals) -> bool:
    """Does this file look like it wants `optimize-quantize`?"""
    return trains_torch(sig) and "quantize_dynamic" not in sig.text_has


SPEC = TaskSpec(
    id="optimize-quantize",
    kind="inline",
    target="torch.ao.quantization",
    library="torch",
    title="Quantize the trained torch model (dynamic int8) and report the metric",
    applies=applies,
    order=5,
    paper_group="model optimization",
    tags=frozenset({"optimization"}),
)
