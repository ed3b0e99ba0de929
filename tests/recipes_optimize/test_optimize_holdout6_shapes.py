"""optimize-prune, optimize-quantize and register-mlflow on public-holdout-6 shapes: a sampler's
step(output, t, x) after training, a loss module and a second name beside the model with a probe
fitted on its outputs, a trainer given its model by keyword, a conv-only net and a functional ensemble."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed

SHAPES = Path(__file__).parent / "holdout6_shapes"
SUFFIX = {"optimize-prune": "pruned", "optimize-quantize": "int8"}
KEPT = {"optimize-prune": "dense", "optimize-quantize": "float32"}
TASKS = ["optimize-prune", "optimize-quantize"]


def _result(task: str, name: str):
    return adapt((SHAPES / name).read_text(), task, AdaptOptions(backend="recipe", verify="static"))


def _static(task: str, name: str) -> str:
    result = _result(task, name)
    assert isinstance(result, Applied), result
    return result.code


@pytest.mark.parametrize("task", TASKS)
def test_a_samplers_step_is_evaluation_and_the_sampling_is_repeated(task):
    """`walker.step(out, t, x, rng)` computes the next sample, it is no optimizer step: the reverse
    sampling loop and the score printed after it run again on the copy."""
    suffix = SUFFIX[task]
    code = _static(task, "reverse_sampler_loop.py")
    after = code[code.index("Evaluation after"):]
    # The seeded generator it samples with is seeded again: the copy is scored on the same noise.
    assert f"rng_{suffix} = torch.Generator().manual_seed(2)\n" in after
    assert f"    x_{suffix} = walker.step(out_{suffix}, t_{suffix}, x_{suffix}, rng_{suffix})\n" in after
    assert f'print(f"spread gap {{spread_gap(x_{suffix}, held):.4f}}")\n' in after


@pytest.mark.parametrize("task", TASKS)
def test_the_optimizers_module_is_the_model_not_the_loss_module(task):
    """`run(x, y, net, criterion, opt)` trains both names it is given; the optimizer holds `net.parameters()`
    (`net = encoder`, a second name), so `net` is optimized, the probe fitted on its outputs is refitted
    on the copy's outputs and the copy is saved beside the script's model."""
    suffix, kept = SUFFIX[task], KEPT[task]
    code = _static(task, "loss_module_alias_probe.py")
    assert f"net_{kept} = net\n" in code
    assert "criterion_" not in code
    assert f"probe_{suffix} = NearestCentroid().fit(encode(net, xs[:80]), ys[:80].numpy())\n" in code
    # The probe is an estimator, not a result: it is not printed before/after.
    assert "probe before" not in code
    if task == "optimize-prune":
        assert 'torch.save(net_pruned.state_dict(), "encoder_pruned.pt")\n' in code


@pytest.mark.parametrize("task", TASKS)
def test_a_trainer_given_its_model_by_keyword_holds_it(task):
    """`Runner(net=net, ...)` storing `self.net, self.lr = net, lr`: the copy replaces `runner.net` and
    `runner.evaluate()` runs again."""
    suffix, kept = SUFFIX[task], KEPT[task]
    code = _static(task, "keyword_trainer_holder.py")
    assert f"    net_{kept} = runner.net\n" in code
    assert f"    runner.net = net_{suffix}\n" in code
    assert code.count('print("eval", runner.evaluate())') == 2


@pytest.mark.parametrize("name", ["loss_module_alias_probe.py", "keyword_trainer_holder.py"])
def test_register_logs_the_torch_model_not_the_probe(name):
    """The model trained under a second name, or through a trainer object, is the one registered."""
    code = _static("register-mlflow", name)
    assert 'mlflow.pytorch.log_model(net, name="model"' in code
    assert "mlflow.sklearn" not in code


def test_quantize_refuses_a_model_with_no_linear_layer():
    result = _result("optimize-quantize", "conv_only_net.py")
    assert isinstance(result, Failed) and "has no Linear layer" in " ".join(result.reasons), result
    assert isinstance(_result("optimize-prune", "conv_only_net.py"), Applied)  # pruning handles convolutions


@pytest.mark.parametrize("task", TASKS)
def test_a_functional_ensemble_is_refused_with_its_reason(task):
    result = _result(task, "functional_ensemble.py")
    assert isinstance(result, Failed) and "functional parameters" in " ".join(result.reasons), result
