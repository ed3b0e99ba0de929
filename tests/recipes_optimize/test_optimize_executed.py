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
    "bare_linear_layer.py", "fc_weight_report.py",
}


def float64_variant() -> str:
    """argparse_epoch_eval_save.py trained in float64 (`.double()` model, float64 data)."""
    source = (SCRIPTS / "argparse_epoch_eval_save.py").read_text()
    for old, new in (
        ("torch.randn(300, 6)", "torch.randn(300, 6, dtype=torch.float64)"),
        ("torch.arange(1.0, 7.0)", "torch.arange(1.0, 7.0, dtype=torch.float64)"),
        ("torch.randn(300, 1)", "torch.randn(300, 1, dtype=torch.float64)"),
        ("nn.Linear(16, 1))", "nn.Linear(16, 1)).double()"),
    ):
        assert old in source
        source = source.replace(old, new)
    return source
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
    assert "copy.deepcopy(" in programs[f"prune/{name}"]
    original, pruned = results[f"original/{name}"], results[f"prune/{name}"]
    assert original["error"] is None and pruned["error"] is None, pruned["error"]
    assert not missing_lines(original["stdout"], pruned["stdout"]), pruned["stdout"]
    sparsity = re.search(r"amount=0\.4: sparsity of Linear/Conv weights ([\d.]+)%", pruned["stdout"])
    assert sparsity and 35.0 <= float(sparsity.group(1)) <= 45.0, pruned["stdout"]
    after = pruned["stdout"].split("Evaluation after pruning:")[1]
    assert re.search(r"\d\.\d", after), "the evaluation was not printed after pruning"
    if name in FLAT:
        info = pruned["info"]
        assert info["max_zero_fraction"] > 0.3, info  # the copy's weights in memory really are zero
        assert info["zero_fraction"] < info["max_zero_fraction"], info  # the trained model itself is kept
        assert info["pruning_left"] == 0, info  # prune.remove made it permanent (no weight_orig left)


@pytest.mark.slow
@pytest.mark.parametrize("name", TORCH_SCRIPTS)
def test_quantize_quantizes_and_repeats_the_evaluation(name, runs):
    programs, results = runs
    assert "quantize_dynamic" in programs[f"quantize/{name}"]
    original, quantized = results[f"original/{name}"], results[f"quantize/{name}"]
    assert quantized["error"] is None, quantized["error"]
    assert not missing_lines(original["stdout"], quantized["stdout"]), quantized["stdout"]
    assert re.search(r"Model size: [\d.]+ MB float(32|64) -> [\d.]+ MB int8", quantized["stdout"]), quantized["stdout"]
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
    base = held.rsplit(".", 1)[-1]
    assert f"{base}_dense = {held}\n" in pruned and f"for layer in {base}_pruned.modules()" in pruned
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


@pytest.mark.slow
def test_optimized_models_are_saved_beside_the_scripts_model_and_no_epoch_line_is_invented(runs, tmp_path):
    """argparse_epoch_eval_save.py evaluates inside `if epoch % 5 == 3:` in the loop and saves with a flag."""
    name = "argparse_epoch_eval_save.py"
    programs, results = runs
    original = results[f"original/{name}"]["stdout"]
    for task, suffix, label in (("prune", "pruned", "pruning"), ("quantize", "int8", "quantization")):
        code = programs[f"{task}/{name}"]
        assert f'torch.save(model_{suffix}.state_dict(), "regressor_{suffix}.pt")' in code
        out = results[f"{task}/{name}"]["stdout"]
        assert results[f"{task}/{name}"]["error"] is None
        after = out.split(f"Evaluation after {label}:")[1]
        # The loop's `epoch` line is the script's; after the loop it would be made up.
        assert not [line for line in after.splitlines() if line.startswith("epoch")], after
        assert out.startswith(original), "the script's own lines come first, unchanged"
        assert re.search(rf"val_loss (before pruning|float32): [\d.]+ \| ({label.replace('pruning', 'after pruning').replace('quantization', 'int8')}): [\d.]+", after), after
    for task in ("prune", "quantize"):
        folder = next(p for p in (tmp_path.parent).rglob("*") if p.is_dir() and p.name == f"{task}_{name[:-3]}")
        saved = sorted(f.name for f in folder.glob("*.pt"))
        assert saved == sorted(["regressor.pt", f"regressor_{'pruned' if task == 'prune' else 'int8'}.pt"]), saved


def test_a_float64_model_is_quantized_through_a_float32_copy_that_takes_float64_tensors():
    source = float64_variant()
    code = adapted("optimize-quantize", source)
    assert "quantize_dynamic(copy.deepcopy(model_float64).float(), {torch.nn.Linear}" in code
    assert "float64_io(model_int8)" in code and "def float64_io(model):" in code
    pruned = adapted("optimize-prune", source)  # pruning works on any dtype
    assert "copy.deepcopy(model_dense)" in pruned


def test_reading_fc_weight_is_not_repeated_on_the_quantized_model():
    code = adapted("optimize-quantize", (SCRIPTS / "fc_weight_report.py").read_text())
    after = code.split("fc = fc_int8")[1].split("fc = fc_float32")[0]
    assert "fc.weight" not in after and "fc(x[150:])" in after


def test_rules_reject_the_wrong_shapes_an_llm_writes():
    """A made-up epoch line, a float64 model quantized, `fc.weight` read on the quantized model."""
    fc_source = (SCRIPTS / "fc_weight_report.py").read_text()
    quantized = fc_source + (
        "fc_int8 = torch.ao.quantization.quantize_dynamic(torch.nn.Sequential(fc), {torch.nn.Linear}, dtype=torch.qint8)\n"
        "fc = fc_int8\n"
        "print(f\"weight {fc.weight.norm().item():.3f}\")\n"
        "print('int8 mse', nn.functional.mse_loss(fc(x[150:]), y[150:]).item())\n"
    )
    report = verify_candidate(fc_source, quantized, "optimize-quantize", AdaptOptions())
    assert not report.ok and "fc.weight" in " ".join(report.failures)

    double = float64_variant()
    candidate = double.replace(
        '    if args.save_model:',
        "    q = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)\n"
        "    print('int8 val', nn.functional.mse_loss(q(X[240:]), y[240:]).item())\n"
        "    print(f'epoch {epoch + 1} int8 done')\n"
        '    if args.save_model:',
    )
    reasons = " ".join(verify_candidate(double, candidate, "optimize-quantize", AdaptOptions()).failures)
    assert "float64" in reasons and "`epoch`" in reasons


def test_the_repeated_evaluation_leaves_the_scripts_objects_alone():
    """`self.history.append(...)` in fit() is the script's record: repeating it would change its best."""
    for task, suffix in (("optimize-prune", "pruned"), ("optimize-quantize", "int8")):
        swapped = f"trainer.model = model_{suffix}"
        code = adapted(task, (SCRIPTS / "trainer_fit_evaluates_per_epoch.py").read_text())
        after = code.split(swapped)[1]
        assert 'print("metrics ' in after  # the repeated evaluation's result is reported
        assert "trainer.evaluate(X_val, y_val)" in after, code
        assert "history.append" not in after and "epoch=" not in after, after
