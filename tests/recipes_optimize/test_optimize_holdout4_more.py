"""optimize-prune and optimize-quantize on more public-holdout-4 shapes: a Keras-like trainer object
whose shared epoch method trains only under a flag, and DistributedDataParallel on one gloo rank."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.verify.pipeline import verify_candidate

SHAPES = Path(__file__).parent / "holdout4_more"
SUFFIX = {"optimize-prune": "pruned", "optimize-quantize": "int8"}
KEPT = {"optimize-prune": "dense", "optimize-quantize": "float32"}


def _static(task: str, name: str):
    return adapt((SHAPES / name).read_text(), task, AdaptOptions(backend="recipe", verify="static"))


def _executed(task: str, name: str):
    source = (SHAPES / name).read_text()
    result = _static(task, name)
    assert isinstance(result, Applied), result
    return result.code, verify_candidate(source, result.code, task, AdaptOptions(verify="run", timeout=400))


@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_a_trainer_holding_the_model_through_a_tuple_assignment_is_optimized_after_its_score(task):
    """`self.net, self.opt, ... = net, opt, ...`: the trainer holds the model. score() runs the shared
    epoch with `learn=False`, so it evaluates (it is not the last training): the copy is made after
    it and the score is repeated with the copy in `learner.net`."""
    result = _static(task, "callback_trainer.py")
    assert isinstance(result, Applied), result
    suffix, kept = SUFFIX[task], KEPT[task]
    code = result.code
    tail = code[code.index('print(f"holdout_acc={holdout_acc:.4f}")'):]
    assert f"net_{kept} = learner.net\n" in tail
    assert f"learner.net = net_{suffix}\n" in tail
    assert f"holdout_loss_{suffix}, holdout_acc_{suffix} = learner.score(xs[:64], ys[:64])\n" in tail
    assert tail.rstrip().endswith(f"learner.net = net_{kept}")


@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_a_ddp_model_is_optimized_as_its_module_inside_the_rank_guard(task):
    """The wrapper trains `net`, the script scores and saves `wrapped.module` under `if rank == 0:`:
    the copy is made from `.module` there, before the barrier, and saved beside the script's file."""
    result = _static(task, "ddp_rank_guard.py")
    assert isinstance(result, Applied), result
    suffix, kept = SUFFIX[task], KEPT[task]
    code = result.code
    guard = code[code.index("    if rank == 0:\n"):code.index("    dist.barrier()")]
    assert f"        module_{kept} = wrapped.module\n" in guard
    assert f"        mse_{suffix} = score(wrapped.module, xs, ys)\n" in guard
    assert f"        wrapped.module = module_{kept}\n" in guard
    assert f'        torch.save(module_{suffix}.state_dict(), "regressor_{suffix}.pt")\n' in guard


@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_a_ddp_model_scored_only_through_the_wrapper_is_refused_with_the_reason(task):
    result = _static(task, "ddp_scored_through_wrapper.py")
    assert not isinstance(result, Applied)
    reasons = " ".join(result.reasons)
    assert "DistributedDataParallel" in reasons and "wrapped.module" in reasons


def test_a_bare_layer_inside_ddp_is_quantized_inside_a_sequential():
    """quantize_dynamic converts children only: `DDP(nn.Linear(3, 1)).module` has none."""
    source = (Path(__file__).parent / "holdout4_shapes" / "ddp_worker.py").read_text()
    result = adapt(source, "optimize-quantize", AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(result, Applied), result
    assert "quantize_dynamic(torch.nn.Sequential(module_float32)" in result.code


@pytest.mark.slow
@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_the_trainer_shape_runs_and_reports_the_optimized_score(task):
    code, report = _executed(task, "callback_trainer.py")
    assert report.ok, report.failures


@pytest.mark.slow
@pytest.mark.parametrize("task", ["optimize-prune", "optimize-quantize"])
def test_the_ddp_shape_runs_on_one_gloo_rank(task):
    code, report = _executed(task, "ddp_rank_guard.py")
    assert report.ok, report.failures
