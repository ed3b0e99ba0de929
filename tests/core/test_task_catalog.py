"""The task catalog: every task folder is complete, and removing a piece of one is caught."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mlops_adapt
from mlops_adapt.tasks import TASK_FILES, TASKS, task_dir
from mlops_adapt.tasks.catalog_check import catalog_problems

PACKAGE = Path(mlops_adapt.__file__).resolve().parent
# Where a task id may appear outside its own folder: the one place listing user-facing defaults.
DEFAULTS_MODULES = {"review/config.py"}


def test_every_discovered_task_folder_is_complete():
    assert len(TASKS) >= 7
    assert catalog_problems() == []


def _copied_package(tmp_path: Path) -> Path:
    """A copy of the mlops_adapt package to doctor, importable from tmp_path."""
    shutil.copytree(PACKAGE, tmp_path / "mlops_adapt", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "mlops_adapt"


def _check_copy(tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlops_adapt.tasks.catalog_check"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.parametrize("piece", [name for name in TASK_FILES if name != "__init__.py"])
def test_removing_a_piece_of_a_task_folder_fails_the_catalog(tmp_path, piece):
    copy = _copied_package(tmp_path)
    (copy / "tasks" / task_dir("track-wandb").name / piece).unlink()
    done = _check_copy(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"track-wandb: missing {piece}" in done.stdout


def test_a_task_folder_without_its_spec_fails_the_catalog(tmp_path):
    copy = _copied_package(tmp_path)
    (copy / "tasks" / task_dir("optimize-prune").name / "__init__.py").unlink()
    done = _check_copy(tmp_path)
    assert done.returncode == 1
    assert "optimize_prune" in done.stdout and ("without a task SPEC" in done.stdout or "cannot load" in done.stdout)


def test_a_checks_module_without_tests_fails_the_catalog(tmp_path):
    copy = _copied_package(tmp_path)
    checks = copy / "tasks" / task_dir("register-mlflow").name / "checks.py"
    checks.write_text(checks.read_text().replace("def test_", "def check_"))
    done = _check_copy(tmp_path)
    assert done.returncode == 1
    assert "register-mlflow: checks.py defines no test_ function" in done.stdout


def test_the_copy_itself_passes_the_catalog(tmp_path):
    _copied_package(tmp_path)
    done = _check_copy(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_task_ids_appear_only_in_their_folder_and_the_defaults_module():
    strays = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("tasks/") or relative in DEFAULTS_MODULES:
            continue
        text = path.read_text(encoding="utf-8")
        strays += [f"{relative}: {task}" for task in TASKS if f'"{task}"' in text]
    assert strays == []


def test_the_metric_direction_is_one_vocabulary():
    """Regression: the HPO recipe said val_mape is minimised, the V5 test said maximised."""
    from mlops_adapt.tasks.hpo_optuna.rules import expected_direction
    from mlops_adapt.vocabulary import direction_of

    assert direction_of("val_mape") == "minimize"
    source = "def objective(trial):\n    return val_mape\n"
    assert expected_direction(source, ["val_mape"]) == "minimize"
