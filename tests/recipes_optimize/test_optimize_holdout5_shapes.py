"""optimize-prune and optimize-quantize on public-holdout-5 shapes: an evaluate subcommand that rebuilds the
net from its checkpoint, dropout sampling in train mode beside a script function named `train`, a net built
from a decorator-filled registry, and a print after the training loop whose generator binds the loop's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from tests.recipes_optimize._support import run_batch

SHAPES = Path(__file__).parent / "holdout5_shapes"
SUFFIX = {"optimize-prune": "pruned", "optimize-quantize": "int8"}
KEPT = {"optimize-prune": "dense", "optimize-quantize": "float32"}
TASKS = ["optimize-prune", "optimize-quantize"]


def _static(task: str, name: str) -> str:
    result = adapt((SHAPES / name).read_text(), task, AdaptOptions(backend="recipe", verify="static"))
    assert isinstance(result, Applied), result
    return result.code


@pytest.mark.parametrize("task", TASKS)
def test_the_evaluate_subcommand_rebuilding_the_net_from_its_checkpoint_is_repeated_on_the_copy(task):
    """`run_fit` trains and saves; `run_score` rebuilds the net and loads the weights: the copy is made
    there, after the score, and the score is repeated with it."""
    suffix, kept = SUFFIX[task], KEPT[task]
    code = _static(task, "subcommand_train_score.py")
    score = code[code.index("def run_score(opts):"):code.index("def run_both(opts):")]
    assert f"    net_{kept} = net\n" in score
    assert f'    report_{suffix} = {{"hit_rate": round(hit_rate(net, xs, ys), 3)}}\n' in score
    assert f'    print("score:", report_{suffix})\n' in score
    assert score.rstrip().endswith(f"net = net_{kept}")
    fit = code[code.index("def run_fit(opts):"):code.index("def run_score(opts):")]
    assert f"net_{suffix}" not in fit


@pytest.mark.parametrize("task", TASKS)
def test_sampling_in_train_mode_is_evaluation_not_training(task):
    """`net.train()` inside the sampling function switches dropout on; it is not a call of the
    script's own `train()`, so the sampled prediction and its figures are repeated on the copy."""
    suffix = SUFFIX[task]
    code = _static(task, "sampled_dropout_predict.py")
    assert f"centre_{suffix}, spread_{suffix} = sampled_predict(net, xs, 20)\n" in code
    assert f"mse_{suffix} = ((centre_{suffix} - ys) ** 2).mean().item()\n" in code
    assert code.index(f"mse_{suffix} =") < code.index('torch.save(net.state_dict(), "sampled.pt")')


@pytest.mark.parametrize("task", TASKS)
def test_a_net_built_from_a_decorator_filled_registry_is_located(task):
    """`ARCHS[spec["arch"]](**extra)` through `build(spec)`: the net is trained, reloaded and scored;
    the copy is made after the score, and the checkpoint dict keeps its `"net"` key."""
    suffix, kept = SUFFIX[task], KEPT[task]
    code = _static(task, "registry_built_net.py")
    assert f"acc_{suffix} = (net(xs).argmax(1) == ys).float().mean().item()\n" in code
    assert code.index(f"net_{kept} = net") > code.index('net.load_state_dict(torch.load("last.pt"))')
    assert f'torch.save({{"net": net_{suffix}.state_dict(), "spec": spec}}, "final_{suffix}.pt")' in code


@pytest.mark.parametrize("task", TASKS)
def test_a_generator_binding_the_loop_name_is_not_a_read_of_the_loop_variable(task):
    """The repeated example print binds its own `i`; the model-free values it prepares (`sample`,
    `lookup`) are not compared as results."""
    suffix = SUFFIX[task]
    code = _static(task, "tagger_after_loop_example.py")
    assert f"for w, i in zip(sample_{suffix}.tolist()" in code
    assert "before pruning:" not in code and "float32:" not in code.replace("MB float32", "")
    assert f'torch.save({{"model": model_{suffix}.state_dict()}}, "tagger_{suffix}.pt")' in code


@pytest.mark.slow
def test_the_four_shapes_run_and_print_the_optimized_evaluation(tmp_path):
    programs = {f"{task}/{name}": _static(task, name) for task in TASKS
                for name in ("subcommand_train_score.py", "sampled_dropout_predict.py", "registry_built_net.py",
                             "tagger_after_loop_example.py")}
    results = run_batch(programs, tmp_path)
    for key, outcome in results.items():
        assert outcome["error"] is None, (key, outcome["error"])
        task = key.split("/")[0]
        verb = "pruning" if task == "optimize-prune" else "quantization"
        assert f"Evaluation after {verb}:" in outcome["stdout"], key
    assert "mse before pruning:" in results["optimize-prune/sampled_dropout_predict.py"]["stdout"]
    assert "score: {'hit_rate':" in results["optimize-quantize/subcommand_train_score.py"]["stdout"].split(
        "Evaluation after quantization:")[1]


def test_a_mode_switch_is_not_a_training_call_but_a_trainer_method_train_is():
    """`net.train()` does not make the sampling function a trainer beside a module `train()`; where a
    class of the script trains in its method `train()`, `trainer.train()` still trains."""
    import libcst as cst

    from mlops_adapt.analysis.scan import scan_module

    sampled = scan_module(cst.parse_module((SHAPES / "sampled_dropout_predict.py").read_text()))
    assert "sampled_predict" not in sampled.trainer_funcs and "train" in sampled.trainer_funcs
    trainer_class = (
        "import torch\n\n\nclass Trainer:\n    def __init__(self, net):\n        self.net = net\n\n"
        "    def train(self):\n        loss = self.net(torch.ones(1)).sum()\n        loss.backward()\n\n\n"
        "def main():\n    Trainer(torch.nn.Linear(1, 1)).train()\n"
    )
    assert "main" in scan_module(cst.parse_module(trainer_class)).trainer_funcs
