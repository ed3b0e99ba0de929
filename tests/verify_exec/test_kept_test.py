"""The test `apply --write --emit-test` leaves behind: short, pinned to keys not values, and it bites."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.tasks import TASKS
from mlops_adapt.verify.testgen import (
    _module_body,
    generate_kept_test,
    logged_keys,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "train.py"
KEPT_MAX_LINES = 200


def _imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("task", sorted(TASKS))
def test_every_task_emits_a_short_self_contained_test(task, tmp_path):
    source = generate_kept_test("x = 1\n", "x = 1\n", task, AdaptOptions(path=str(tmp_path / "t.py")),
                                test_dir=str(tmp_path / "tests"))
    compile(source, "test_kept.py", "exec")
    assert "mlops_adapt" not in _imports(source)
    assert len(source.splitlines()) <= KEPT_MAX_LINES
    assert "def kept_side_effect(run)" in source and "def test_side_effect(run)" in source
    assert "SCRIPT = '../t.py'" in source


@pytest.mark.parametrize("task", sorted(TASKS))
def test_the_v5_test_does_not_carry_the_kept_check(task):
    from mlops_adapt.tasks import task_dir

    assert "kept_side_effect" not in _module_body(task_dir(task) / "checks.py")


def test_logged_keys_reads_literal_keys_of_both_trackers():
    code = (
        'import mlflow, wandb\nmlflow.log_param("lr", 0.1)\nmlflow.log_params({"epochs": 3})\n'
        'mlflow.log_metric("acc", a)\nmlflow.log_metric(f"acc_{i}", a)\n'
        'run = wandb.init(config={"batch": 8})\nrun.log({"loss": l})\nwandb.config.update({"seed": 1})\n'
    )
    assert logged_keys(code) == {"params": ["lr", "epochs", "batch", "seed"],
                                 "metrics": ["acc", "loss"]}


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mlops_adapt", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def _pytest(cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.mark.slow
def test_kept_test_survives_a_retuned_default_and_catches_lost_tracking(tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "train.py")
    done = _cli("apply", "track-mlflow", "train.py", "--write", "--emit-test", "tests", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    kept = tmp_path / "tests" / "test_train_track_mlflow.py"
    text = kept.read_text()
    assert len(text.splitlines()) <= KEPT_MAX_LINES
    assert "accuracy=" not in text, "no printed value is pinned"

    first = _pytest(tmp_path)
    assert first.returncode == 0, first.stdout[-3000:]
    assert "2 passed" in first.stdout

    script = tmp_path / "train.py"
    adapted = script.read_text()
    retuned = adapted.replace("N_ESTIMATORS = 30", "N_ESTIMATORS = 5").replace(
        "MAX_DEPTH = 4", "MAX_DEPTH = 1")
    assert retuned != adapted
    script.write_text(retuned)
    second = _pytest(tmp_path)
    assert second.returncode == 0, second.stdout[-3000:]

    # The tracking breaks later (the metric log calls are dropped): the user's CI must notice.
    untracked = "".join(line for line in retuned.splitlines(keepends=True)
                        if "log_metric" not in line)
    assert untracked != retuned
    script.write_text(untracked)
    third = _pytest(tmp_path)
    assert third.returncode == 1, third.stdout[-3000:]
    assert "no metric was logged" in third.stdout
