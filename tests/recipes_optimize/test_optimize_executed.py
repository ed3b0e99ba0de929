"""optimize-prune and optimize-quantize on real torch training scripts, run before and after adaptation."""

from __future__ import annotations

import re

import libcst as cst
import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Failed, Skipped
from mlops_adapt.verify.pipeline import verify_candidate

from ._support import SCRIPTS, adapted, missing_lines, run_batch

TORCH_SCRIPTS = sorted(p.name for p in SCRIPTS.glob("*.py"))
# Scripts whose model is a module global, so the driver can inspect the layers after the run.
FLAT = {
    "flat_sequential.py", "cnn_loop_eval.py", "regression_global_eval.py", "train_fn_returns_model.py",
    "bare_linear_layer.py",
}
# Scripts whose model an object of the script's own class holds: it is optimized where the object is used.
HELD = {"holder_object_evaluated_after.py": "learner.net", "model_handed_to_runner.py": "runner.model"}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every script, original, pruned (amount=0.4) and quantized, run for real in one torch process."""
    programs = {}
    for name in TORCH_SCRIPTS:
        source = (SCRIPTS / name).read_text()
        programs[f"original/{name}"] = source
        programs[f"prune/{name}"] = adapted("optimize-prune", source, amount="0.4")
        programs[f"quantize/{name}"] = adapted("optimize-quantize", source)
    return programs, run_batch(programs, tmp_path_factory.mktemp("torch-runs"))


@pytest.mark.slow
@pytest.mark.parametrize("name", TORCH_SCRIPTS)
def test_prune_prunes_and_repeats_the_evaluation(name, runs):
    programs, results = runs
    assert "prune.global_unstructured" in programs[f"prune/{name}"]
    original, pruned = results[f"original/{name}"], results[f"prune/{name}"]
    assert original["error"] is None and pruned["error"] is None, pruned["error"]
    assert not missing_lines(original["stdout"], pruned["stdout"]), pruned["stdout"]
    sparsity = re.search(r"amount=0\.4: sparsity of Linear/Conv weights ([\d.]+)%", pruned["stdout"])
    assert sparsity and 35.0 <= float(sparsity.group(1)) <= 45.0, pruned["stdout"]
    after = pruned["stdout"].split("Evaluation after pruning:")[1]
    assert re.search(r"\d\.\d", after), "the evaluation was not printed after pruning"
    if name in FLAT:
        info = pruned["info"]
        assert info["zero_fraction"] > 0.3, info  # the weights in memory really are zero
        assert info["pruning_left"] == 0, info  # prune.remove made it permanent (no weight_orig left)


@pytest.mark.slow
@pytest.mark.parametrize("name", TORCH_SCRIPTS)
def test_quantize_quantizes_and_repeats_the_evaluation(name, runs):
    programs, results = runs
    assert "quantize_dynamic" in programs[f"quantize/{name}"]
    original, quantized = results[f"original/{name}"], results[f"quantize/{name}"]
    assert quantized["error"] is None, quantized["error"]
    assert not missing_lines(original["stdout"], quantized["stdout"]), quantized["stdout"]
    assert re.search(r"Model size: [\d.]+ MB float32 -> [\d.]+ MB int8", quantized["stdout"]), quantized["stdout"]
    after = quantized["stdout"].split("Evaluation after quantization:")[1]
    assert re.search(r"\d\.\d", after), "the evaluation was not printed after quantization"
    if name in FLAT:
        assert quantized["info"]["quantized_linears"] >= 1, quantized["info"]


def test_scripts_without_a_torch_model_are_skipped():
    source = "from sklearn.linear_model import Ridge\nm = Ridge().fit([[0], [1]], [0, 1])\nprint(m.coef_)\n"
    for task in ("optimize-prune", "optimize-quantize"):
        result = adapt(source, task, AdaptOptions(backend="recipe"))
        assert isinstance(result, Skipped) and "nothing to adapt" in result.reason


def test_prune_rejects_an_amount_outside_zero_one():
    source = (SCRIPTS / "flat_sequential.py").read_text()
    result = adapt(source, "optimize-prune", AdaptOptions(backend="recipe", task_options={"amount": "1.5"}))
    assert isinstance(result, Failed) and "amount" in " ".join(result.reasons)


def test_rules_reject_pruning_that_is_neither_permanent_nor_evaluated():
    original = (SCRIPTS / "flat_sequential.py").read_text()
    candidate = original + (
        "from torch.nn.utils import prune\n"
        "prune.global_unstructured([(model[0], 'weight')], pruning_method=prune.L1Unstructured, amount=0.0)\n"
    )
    report = verify_candidate(original, candidate, "optimize-prune", AdaptOptions())
    reasons = " ".join(report.failures)
    assert not report.ok
    assert "amount" in reasons and "prune.remove" in reasons and "repeated" in reasons


def test_rules_reject_quantization_without_linear_layers_or_reevaluation():
    original = (SCRIPTS / "flat_sequential.py").read_text()
    candidate = original + "q = torch.ao.quantization.quantize_dynamic(model, {torch.nn.LSTM}, dtype=torch.float16)\n"
    report = verify_candidate(original, candidate, "optimize-quantize", AdaptOptions())
    reasons = " ".join(report.failures)
    assert "Linear" in reasons and "qint8" in reasons and "repeated" in reasons


@pytest.mark.parametrize("name", sorted(HELD))
def test_a_model_held_by_an_object_is_optimized_where_the_object_is_used(name):
    """Not inside the class's training method: the script's own evaluation afterwards stays unchanged."""
    source = (SCRIPTS / name).read_text()
    held = HELD[name]
    pruned = adapted("optimize-prune", source)
    assert f"for layer in {held}.modules()" in pruned
    quantized = adapted("optimize-quantize", source)
    assert f"= {held}\n" in quantized and f"{held} = " in quantized  # swapped in, then put back
    for code in (pruned, quantized):
        classes = [s for s in cst.parse_module(code).body if isinstance(s, cst.ClassDef)]
        assert classes and not any("prune." in c or "quantize_dynamic" in c for c in map(_source, classes))


def _source(node) -> str:
    return cst.Module(body=[node]).code


def test_a_bare_layer_is_wrapped_so_that_quantize_dynamic_converts_it():
    code = adapted("optimize-quantize", (SCRIPTS / "bare_linear_layer.py").read_text())
    assert "quantize_dynamic(torch.nn.Sequential(model_float32), {torch.nn.Linear}" in code
    flat = adapted("optimize-quantize", (SCRIPTS / "flat_sequential.py").read_text())
    assert "torch.nn.Sequential(model_float32)" not in flat
