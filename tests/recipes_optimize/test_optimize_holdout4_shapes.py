"""optimize-prune and optimize-quantize on shapes first met in public-holdout-4, verified by running them (V5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

from ._support import adapted

SHAPES = Path(__file__).parent / "holdout4_shapes"
RUN = AdaptOptions(verify="run")


def run_report(task: str, name: str):
    """The recipe's edit of the shape and its executed verification report."""
    source = (SHAPES / name).read_text()
    code = adapted(task, source)
    return code, verify_candidate(source, code, task, RUN)


@pytest.mark.slow
def test_a_model_scored_through_self_forward_counts_as_evaluated_after_quantization():
    """`self.forward(x)` skips the model's hooks: V5 still sees the quantized layers run."""
    code, report = run_report("optimize-quantize", "self_forward_scoring.py")
    assert "held_mse_int8 = evaluate(net, " in code
    assert report.ok, report.failures
