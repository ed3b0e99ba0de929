"""optimize-prune and optimize-quantize where the evaluation is hard to find, run for real with torch.

The shapes: an epoch function shared by training and evaluation (it trains only when given an
optimizer) with a best-epoch checkpoint dict reloaded for the test; an evaluation block inside an
LBFGS step loop (the training loss lives in a closure); the trained weights reloaded into a fresh
model that only shows predictions; layers kept in a plain Python list and a model scored by its
own `predict()` method. Each edited script must evaluate the optimized model, print its figures
before and after as plain numbers, and leave the script's own output as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Failed

from ._support import adapted, missing_lines, run_batch

SHAPES_DIR = Path(__file__).parent / "eval_shapes"
NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
# The test's own probe of the pruned copy of plain_list_blocks.py: the zeros in its listed layers.
LIST_PROBE = (
    "\nprint('PROBE', sum(int((b.weight == 0).sum()) for b in stack_pruned.blocks)"
    " / sum(b.weight.nelement() for b in stack_pruned.blocks),"
    " sum(int((b.weight == 0).sum()) for b in stack.blocks))\n"
)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """key "original|prune|quantize/NAME" -> (code, run result, folder)."""
    programs = {}
    for path in sorted(SHAPES_DIR.glob("*.py")):
        source = path.read_text()
        programs[f"original/{path.name}"] = source
        programs[f"prune/{path.name}"] = adapted("optimize-prune", source)
        if path.name != "plain_list_blocks.py":
            programs[f"quantize/{path.name}"] = adapted("optimize-quantize", source)
    programs["prune/plain_list_blocks.py"] += LIST_PROBE
    workdir = tmp_path_factory.mktemp("eval-shapes")
    results = run_batch(programs, workdir)
    return {key: (programs[key], results[key], workdir / key.replace("/", "_").removesuffix(".py")) for key in programs}


def compared(stdout: str, name: str, before: str, after: str) -> tuple[float, float]:
    """The comparison line of one result; its values must print as plain numbers (not `tensor(...)`)."""
    match = re.search(rf"^{name} {before}: ({NUMBER}) \| {after}: ({NUMBER})$", stdout, re.MULTILINE)
    assert match, f"no plain comparison of {name}:\n{stdout}"
    return float(match[1]), float(match[2])


def after_part(stdout: str, label: str) -> str:
    return stdout.split(f"Evaluation after {label}:\n", 1)[1]


@pytest.mark.slow
@pytest.mark.parametrize("key", [
    "prune/shared_epoch_checkpoint.py", "quantize/shared_epoch_checkpoint.py",
    "prune/closure_step_eval.py", "quantize/closure_step_eval.py",
    "prune/reload_then_show.py", "quantize/reload_then_show.py", "prune/plain_list_blocks.py",
])
def test_the_scripts_output_survives_and_the_optimized_model_is_evaluated(key, shapes):
    name = key.split("/")[1]
    original = shapes[f"original/{name}"][1]
    _, run, _ = shapes[key]
    assert original["error"] is None and run["error"] is None, run["error"]
    assert not missing_lines(original["stdout"], run["stdout"]), run["stdout"]
    assert "tensor(" not in run["stdout"]
    label = "pruning" if key.startswith("prune") else "quantization"
    assert re.search(r"\d", after_part(run["stdout"], label))


@pytest.mark.slow
def test_the_shared_epoch_function_is_the_test_evaluation_and_the_checkpoint_is_saved_pruned(shapes):
    """`one_pass(net, X_te, y_te, loss_fn)` leaves out the optimizer: it evaluates, and is repeated."""
    code, run, folder = shapes["prune/shared_epoch_checkpoint.py"]
    added = code.split("net = net_pruned\n")[1]
    assert "one_pass(net, X_te, y_te, loss_fn)" in added and "optimizer" not in added
    assert re.search(r"^best epoch \d+: test loss [\d.]+, test accuracy [\d.]+$", after_part(run["stdout"], "pruning"),
                     re.MULTILINE)
    compared(run["stdout"], "test_loss", "before pruning", "after pruning")
    compared(run["stdout"], "test_acc", "before pruning", "after pruning")
    # The checkpoint keeps only the model's entry: the epoch and loss in the loop were another model's.
    saved = torch.load(folder / "best_epoch_pruned.pt")
    assert list(saved) == ["weights"]
    weights = [v for k, v in saved["weights"].items() if k.endswith("weight")]
    zeros = sum(int((w == 0).sum()) for w in weights) / sum(w.nelement() for w in weights)
    assert 0.25 < zeros < 0.35, zeros
    _, quantized, quantized_folder = shapes["quantize/shared_epoch_checkpoint.py"]
    compared(quantized["stdout"], "test_acc", "float32", "int8")
    state = torch.load(quantized_folder / "best_epoch_int8.pt", weights_only=False)["weights"]
    assert any("_packed_params" in key for key in state), sorted(state)


@pytest.mark.slow
def test_an_evaluation_block_in_a_closure_step_loop_is_repeated_without_its_step_line(shapes):
    for task, before, after, label in (("prune", "before pruning", "after pruning", "pruning"),
                                       ("quantize", "float32", "int8", "quantization")):
        code, run, _ = shapes[f"{task}/closure_step_eval.py"]
        added = code.split(f'print("Evaluation after {label}:")', 1)[1]
        assert "with torch.no_grad():" in added and "closure" not in added and "step(" not in added
        # The step line reads the loop's `step`: after the loop it would invent a step that never ran.
        assert not re.search(r"^step \d", after_part(run["stdout"], label), re.MULTILINE)
        old, new = compared(run["stdout"], "loss", before, after)
        final = re.search(rf"^final held-out mse ({NUMBER})$", run["stdout"], re.MULTILINE)
        assert final and abs(float(final[1]) - old) < 1e-4  # the script's own last figure is the "before"
        assert new > 0


@pytest.mark.slow
def test_a_reloaded_model_is_optimized_and_the_loop_evaluation_reports_its_figure(shapes):
    """`model = Scorer()` + load_state_dict: the same weights; not repeated after the swap (it would
    replace the optimized copy with an untrained model)."""
    for task, suffix, label in (("prune", "pruned", "pruning"), ("quantize", "int8", "quantization")):
        code, run, folder = shapes[f"{task}/reload_then_show.py"]
        assert "Scorer()" not in code.split(f"model = model_{suffix}\n")[1]
        nonzero = [int(n) for n in re.findall(r"with (\d+) nonzero parameters", run["stdout"])]
        before = nonzero[0]  # the script's own evaluation in the loop
        after = [int(n) for n in re.findall(r"with (\d+) nonzero parameters", after_part(run["stdout"], label))]
        assert after and after[0] < before, run["stdout"]  # the evaluated model is the optimized one
        assert len(re.findall(r"^sample \d: predicted", after_part(run["stdout"], label), re.MULTILINE)) == 3
        assert (folder / f"scorer_{suffix}.pt").exists()
    pruned_run = shapes["prune/reload_then_show.py"][1]
    after = int(re.search(r"with (\d+) nonzero", after_part(pruned_run["stdout"], "pruning"))[1])
    linear_weights = 4 * 16 + 16 * 2
    assert after == before - round(0.3 * linear_weights)


@pytest.mark.slow
def test_layers_in_a_plain_list_are_pruned_and_the_models_predict_method_is_repeated(shapes):
    code, run, _ = shapes["prune/plain_list_blocks.py"]
    assert "stack_pruned.blocks" in code
    assert "stack.predict(X[300:])" in code.split("stack = stack_pruned\n")[1]
    sparsity = re.search(r"sparsity of Linear/Conv weights ([\d.]+)%", run["stdout"])
    assert sparsity and 29.0 <= float(sparsity[1]) <= 31.0, run["stdout"]
    probe = re.search(rf"^PROBE ({NUMBER}) (\d+)$", run["stdout"], re.MULTILINE)
    assert probe and 0.29 < float(probe[1]) < 0.31 and int(probe[2]) == 0  # the copy pruned, the model kept
    compared(run["stdout"], "error", "before pruning", "after pruning")


def test_quantization_refuses_layers_that_torch_does_not_register():
    result = adapt((SHAPES_DIR / "plain_list_blocks.py").read_text(), "optimize-quantize", AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed)
    assert "plain Python list (`stack.blocks`)" in " ".join(result.reasons)


def test_a_model_returned_by_its_trainer_under_a_new_name_is_followed():
    """`tuned = fit_net(base, ...)` returns `base`, trained: the script evaluates and saves `tuned`."""
    source = (
        "import torch\nfrom torch import nn\n\n\n"
        "def fit_net(net, X, y, epochs):\n"
        "    opt = torch.optim.Adam(net.parameters(), lr=0.05)\n"
        "    for _ in range(epochs):\n"
        "        opt.zero_grad()\n"
        "        loss = nn.functional.cross_entropy(net(X), y)\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return net\n\n\n"
        "X = torch.randn(100, 4)\ny = (X[:, 0] > 0).long()\n"
        "base = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n"
        "tuned = fit_net(base, X[:80], y[:80], 5)\n"
        "acc = (tuned(X[80:]).argmax(1) == y[80:]).float().mean().item()\n"
        "print(f'accuracy {acc:.3f}')\n"
        "torch.save(tuned.state_dict(), 'tuned.pt')\n"
    )
    code = adapted("optimize-prune", source)
    assert "tuned_pruned = copy.deepcopy(tuned_dense)" in code
    assert "acc_pruned = (tuned(X[80:])" in code
    assert 'torch.save(tuned_pruned.state_dict(), "tuned_pruned.pt")' in code
    assert 'print("acc before pruning:", acc, "| after pruning:", acc_pruned)' in code  # `.item()`: plain


def test_rules_count_the_models_own_predict_method_as_its_evaluation_and_not_a_training_call():
    from mlops_adapt.verify.pipeline import verify_candidate

    source = (SHAPES_DIR / "plain_list_blocks.py").read_text()
    code = adapted("optimize-prune", source)
    assert verify_candidate(source, code, "optimize-prune", AdaptOptions()).ok
    unevaluated = "\n".join(line for line in code.splitlines() if "error_pruned" not in line) + "\n"
    trained = unevaluated.replace('print("Evaluation after pruning:")', "stack.train()")
    for candidate in (unevaluated, trained):
        report = verify_candidate(source, candidate, "optimize-prune", AdaptOptions())
        assert "the evaluation is not repeated after pruning" in " ".join(report.failures)
