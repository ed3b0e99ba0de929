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


@pytest.mark.slow
@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_a_global_model_evaluated_at_the_end_of_main_is_evaluated_again_after_the_call(task):
    """run() trains the module's model and scores it with a function reading the global: that
    scoring is repeated under `if __name__ == "__main__":` right after `run()`, not its locals."""
    code, report = run_report(task, "global_model_main_evaluates.py")
    block = code[code.index('if __name__ == "__main__":'):]
    suffix = "pruned" if task == "optimize-prune" else "int8"
    assert f"    holdout_acc_{suffix} = accuracy_on_holdout()\n" in block
    assert "last_loss" not in block
    assert report.ok, report.failures


@pytest.mark.slow
@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_an_evaluation_keeping_a_global_best_is_repeated_without_touching_that_best(task):
    """evaluate(step) reads `step` only to checkpoint a new best: it is repeated after the loop, with
    the global best set so that branch cannot run, then put back (the script's best and file stay)."""
    code, report = run_report(task, "global_best_checkpoint.py")
    suffix = "pruned" if task == "optimize-prune" else "int8"
    assert f'lowest_loss = float("-inf")\nval_loss_{suffix} = evaluate(step)\nlowest_loss = lowest_loss_kept\n' in code
    assert report.ok, report.failures


@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_a_model_trained_under_distributed_data_parallel_is_optimized_as_its_module(task):
    """The worker scores `wrapped.module` after training: the copy is made from it there (each rank
    makes its own; nothing in it talks to the other ranks)."""
    from mlops_adapt.engine import adapt
    from mlops_adapt.results import Applied

    result = adapt((SHAPES / "ddp_worker.py").read_text(), task, AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(result, Applied), result
    kept = "dense" if task == "optimize-prune" else "float32"
    assert f"    module_{kept} = wrapped.module\n" in result.code
    assert result.code.index(f"wrapped.module = module_{kept}") < result.code.index("dist.destroy_process_group()")
