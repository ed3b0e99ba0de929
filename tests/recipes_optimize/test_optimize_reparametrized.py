"""optimize-prune and optimize-quantize on reparametrized layers (weight_norm, spectral_norm), and on an
evaluation that first loads averaged weights into the net (an EMA's swap-in): shapes public-holdout-5 showed."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from tests.recipes_optimize._support import run_batch

SHAPES = Path(__file__).parent / "holdout5_shapes"
TASKS = ["optimize-prune", "optimize-quantize"]


def _static(task: str, name: str) -> str:
    result = adapt((SHAPES / name).read_text(), task, AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(result, Applied), result
    return result.code


def test_pruning_folds_reparametrized_weights_and_normalizes_them_again():
    """torch prunes a weight parameter; a weight-normed layer's weight is computed: the copy's weights are
    folded first, pruned, then weight-normed again (the pruned state_dict keeps the model's keys)."""
    code = _static("optimize-prune", "weight_normed_conv.py")
    fold, prune, restore = (code.index("weight_normed = plain_weights(net_pruned)\n"),
                            code.index("prune.global_unstructured(prune_params"),
                            code.index("restore_weight_norms(weight_normed)\n"))
    assert fold < prune < restore < code.index("net = net_pruned\n")
    assert "def plain_weights(model):" in code and "def restore_weight_norms(normed):" in code


def test_plain_layers_are_pruned_without_the_fold():
    code = _static("optimize-prune", "averaged_weights_swapped_in.py")
    assert "plain_weights" not in code and "restore_weight_norms" not in code


def test_quantization_converts_a_folded_copy_of_a_parametrized_model():
    code = _static("optimize-quantize", "weight_normed_conv.py")
    assert "net_int8 = torch.ao.quantization.quantize_dynamic(folded_copy(net_float32), {torch.nn.Linear}" in code


@pytest.mark.parametrize("task", TASKS)
def test_the_weight_swap_in_before_the_evaluation_is_not_repeated_on_the_copy(task):
    """`average.swap_in(net)` loads the averaged float weights; the copy is made after it, so it holds them:
    repeated on the copy it would overwrite the pruned/quantized weights (quantized: a KeyError)."""
    suffix = {"optimize-prune": "pruned", "optimize-quantize": "int8"}[task]
    code = _static(task, "averaged_weights_swapped_in.py")
    after = code[code.index(f"net = net_{suffix}\n"):]
    assert "swap_in" not in after
    assert f"test_acc_{suffix} = accuracy(net, xs[300:], ys[300:])\n" in after


@pytest.mark.slow
def test_the_reparametrized_and_swapped_in_shapes_run(tmp_path):
    programs = {f"{task}/{name}": _static(task, name) for task in TASKS
                for name in ("weight_normed_conv.py", "averaged_weights_swapped_in.py")}
    results = run_batch(programs, tmp_path)
    for key, outcome in results.items():
        assert outcome["error"] is None, (key, outcome["error"])
        verb = "pruning" if key.startswith("optimize-prune") else "quantization"
        assert f"Evaluation after {verb}:" in outcome["stdout"], key
    # The weight-normed layers of the pruned copy keep the model's keys, with zeros in their weights;
    # the spectral-normed head is saved folded (`head.weight`).
    saved = tmp_path / "optimize-prune_weight_normed_conv"
    dense = torch.load(saved / "smoother.pt")
    pruned = torch.load(saved / "smoother_pruned.pt")
    assert {k for k in dense if k.startswith("conv")} == {k for k in pruned if k.startswith("conv")}
    assert (pruned["conv_a.parametrizations.weight.original1"] == 0).any()
    assert "head.weight" in pruned
    assert "Sparsity" in results["optimize-prune/weight_normed_conv.py"]["stdout"].title()
