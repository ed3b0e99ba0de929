"""optimize-prune and optimize-quantize where something else runs the training, run for real with torch.

The shapes: an event-driven engine built around the model (`trainer = make_trainer(net, ...)`,
trained by `trainer.run(...)`, evaluated by a handler that runs an evaluator engine); worker
threads handed the shared model (`Thread(target=fit_worker, args=(rank, shared, ...))`); a torch
net built in `fit()` of a scikit-learn estimator that is a pipeline's last step; and a flat epoch
loop whose evaluation fills lists of labels and predictions. Each edited script must optimize the
model after it is trained, evaluate the optimized model the script's own way, report it, and leave
the script's own output and its model as they were.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch

from ._support import adapted, missing_lines, run_batch

SHAPES_DIR = Path(__file__).parent / "runner_shapes"
NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
TASKS = {"prune": ("optimize-prune", "pruning"), "quantize": ("optimize-quantize", "quantization")}
# The test's own probe of estimator_in_pipeline.py: the pipeline's step holds the trained (dense, float)
# net again, and the pipeline saved with the optimized net in it (SUFFIX) loads with that net.
STEP_PROBE = (
    "\nprint('PROBE', type(reg.net_[0]).__module__, "
    "sum(int((m.weight == 0).sum()) for m in reg.net_.modules() if isinstance(m, torch.nn.Linear)))\n"
    "saved = joblib.load('regressor_SUFFIX.joblib')[-1].net_\n"
    "saved_weights = [m.weight for m in saved.modules() if isinstance(m, torch.nn.Linear)]\n"
    "print('SAVED', type(saved[0]).__module__, "
    "sum(int((w == 0).sum()) for w in saved_weights) / max(1, sum(w.nelement() for w in saved_weights)))\n"
)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """key "original|prune|quantize/NAME" -> (code, run result, folder)."""
    programs = {}
    for path in sorted(SHAPES_DIR.glob("*.py")):
        source = path.read_text()
        programs[f"original/{path.name}"] = source
        for key, (task, _) in TASKS.items():
            programs[f"{key}/{path.name}"] = adapted(task, source)
    for key, suffix in (("prune", "pruned"), ("quantize", "int8")):
        programs[f"{key}/estimator_in_pipeline.py"] += STEP_PROBE.replace("SUFFIX", suffix)
    workdir = tmp_path_factory.mktemp("runner-shapes")
    results = run_batch(programs, workdir)
    return {key: (programs[key], results[key], workdir / key.replace("/", "_").removesuffix(".py")) for key in programs}


def after_part(stdout: str, label: str) -> str:
    return stdout.split(f"Evaluation after {label}:\n", 1)[1]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in SHAPES_DIR.glob("*.py")))
@pytest.mark.parametrize("task", sorted(TASKS))
def test_the_scripts_output_survives_and_the_optimized_model_is_evaluated(task, name, shapes):
    original = shapes[f"original/{name}"][1]
    _, run, _ = shapes[f"{task}/{name}"]
    assert original["error"] is None and run["error"] is None, run["error"]
    assert not missing_lines(original["stdout"], run["stdout"]), run["stdout"]
    assert re.search(r"\d", after_part(run["stdout"], TASKS[task][1])), run["stdout"]


@pytest.mark.slow
@pytest.mark.parametrize("task", sorted(TASKS))
def test_an_engine_is_optimized_after_it_ran_and_its_evaluator_is_run_again(task, shapes):
    code, run, folder = shapes[f"{task}/event_loop_handlers.py"]
    label = TASKS[task][1]
    # The optimization follows the engine's run, not the engine's construction.
    assert code.index("trainer.run(batches") < code.index(f"Evaluation after {label}")
    lines = run["stdout"].splitlines()
    last_epoch = max(i for i, line in enumerate(lines) if line.startswith("epoch 6 held-out"))
    before, after = ("before pruning", "after pruning") if task == "prune" else ("float32", "int8")
    compared = re.search(rf"^scores {before}: \{{'accuracy': ({NUMBER})\}} \| {after}: \{{'accuracy': ({NUMBER})\}}$",
                         run["stdout"], re.MULTILINE)
    assert compared, run["stdout"]
    assert lines.index(compared.group(0)) > last_epoch
    dense_accuracy = float(lines[last_epoch].split()[-1])
    assert abs(float(compared[1]) - dense_accuracy) < 1e-3  # "before" is the trained model's own figure
    assert 0.0 <= float(compared[2]) <= 1.0
    # The best-epoch checkpoint a handler saves gets its optimized counterpart.
    suffix = "pruned" if task == "prune" else "int8"
    assert (folder / f"best_{suffix}.pt").exists() and (folder / "best.pt").exists()


@pytest.mark.slow
def test_a_model_trained_by_worker_threads_is_pruned_tested_and_saved(shapes):
    _, run, folder = shapes["prune/thread_workers.py"]
    assert run["stdout"].count("test mse:") == 2
    assert "test mse:" in after_part(run["stdout"], "pruning")
    pruned = torch.load(folder / "shared_pruned.pt")
    weights = [w for k, w in pruned.items() if k.endswith("weight")]
    zeros = sum(int((w == 0).sum()) for w in weights) / sum(w.nelement() for w in weights)
    assert 0.25 < zeros < 0.35, zeros
    dense = torch.load(folder / "shared.pt")
    assert all(int((w == 0).sum()) == 0 for k, w in dense.items() if k.endswith("weight"))


@pytest.mark.slow
@pytest.mark.parametrize("task", sorted(TASKS))
def test_the_net_inside_a_pipeline_step_is_scored_through_the_pipeline_and_put_back(task, shapes):
    code, run, _ = shapes[f"{task}/estimator_in_pipeline.py"]
    assert "reg.net_ = " in code
    after = after_part(run["stdout"], TASKS[task][1])
    assert re.search(rf"^r2 on held-out rows: {NUMBER}$", after, re.MULTILINE), run["stdout"]
    probe = re.search(r"^PROBE (\S+) (\d+)$", run["stdout"], re.MULTILINE)
    assert probe and probe[1] == "torch.nn.modules.linear" and probe[2] == "0", run["stdout"]
    # The pipeline is saved a second time, with the optimized net in its step.
    saved = re.search(r"^SAVED (\S+) (\S+)$", run["stdout"], re.MULTILINE)
    assert saved, run["stdout"]
    if task == "prune":
        assert 0.25 < float(saved[2]) < 0.35
    else:
        assert "quantized" in saved[1]


@pytest.mark.slow
@pytest.mark.parametrize("task", sorted(TASKS))
def test_filled_prediction_lists_are_refilled_and_only_the_figure_compared(task, shapes):
    _, run, _ = shapes[f"{task}/filled_prediction_lists.py"]
    before, after = ("before pruning", "after pruning") if task == "prune" else ("float32", "int8")
    compared = re.search(rf"^hit_rate {before}: ({NUMBER}) \| {after}: ({NUMBER})$", run["stdout"], re.MULTILINE)
    assert compared, run["stdout"]
    assert float(compared[1]) == pytest.approx(0.95)  # the last epoch's figure, printed by the script
    assert not re.search(r"^(seen|guessed) ", run["stdout"], re.MULTILINE)  # whole lists are not results


def test_the_step_taken_from_the_pipeline_is_the_estimators_not_another():
    source = (SHAPES_DIR / "estimator_in_pipeline.py").read_text().replace(
        "reg = model[-1]\n", 'scaler = model[0]\nreg = model.named_steps["netregressor"]\n'
    )
    code = adapted("optimize-prune", source)
    assert "reg.net_ = net_pruned" in code and "scaler.net_" not in code


def test_an_estimator_fitted_on_its_own_is_scored_again_with_the_copy():
    source = (SHAPES_DIR / "estimator_in_pipeline.py").read_text()
    source = source.replace("model = make_pipeline(MinMaxScaler(), NetRegressor())", "model = NetRegressor()")
    source = source.replace("reg = model[-1]\n", "")
    code = adapted("optimize-quantize", source)
    after = code.split('print("Evaluation after quantization:")', 1)[1]
    assert after.index("model.score(") < after.index("model.net_ = net_float32")
