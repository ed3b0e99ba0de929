"""Generated tests: self-contained, pass under plain pytest on a correct adaptation, fail on a broken one."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.executed import check_executed
from mlops_adapt.tasks import TASKS as TASK_TESTS
from mlops_adapt.tasks.hpo_optuna.rules import expected_direction
from mlops_adapt.verify.testgen import generate_test

BENCH = Path(__file__).resolve().parents[2] / "bench"
ORIGINAL = (BENCH / "corpus" / "ml" / "np_linear_regression.py").read_text()
GOOD = (BENCH / "verifier" / "good" / "mlflow_np_linear_regression.py").read_text()
# the whole line goes, indentation included: the good case logs inside `with mlflow.start_run():`
BROKEN = "".join(line for line in GOOD.splitlines(keepends=True) if 'mlflow.log_metric("mse", mse)' not in line)

WANDB_GOOD = (
    ORIGINAL.replace("import numpy as np\n", "import numpy as np\nimport wandb\n")
    .replace(
        "rng = np.random",
        'wandb.init(project="np", config={"learning_rate": LEARNING_RATE, "epochs": EPOCHS})\nrng = np.random',
    )
    .replace(
        'print(f"mse: {mse:.5f}")\n',
        'wandb.log({"mse": mse})\nprint(f"mse: {mse:.5f}")\nwandb.finish()\n',
    )
)


def _imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("task", sorted(TASK_TESTS))
def test_generated_file_is_self_contained(task):
    expected = {"ok": True, "stdout": "mse: 0.1\n", "git_files": []}
    source = generate_test(ORIGINAL, GOOD, task, AdaptOptions(path="train.py"), expected=expected)
    assert "mlops_adapt" not in _imports(source)
    assert (
        "def test_script_exits_cleanly" in source
        and "def test_prints_what_the_original_printed" in source
    )
    compile(source, "test_generated.py", "exec")


def _emit_and_run(
    tmp_path: Path, adapted: str, task: str = "track-mlflow"
) -> subprocess.CompletedProcess:
    """What `apply --write --emit-test tests/` leaves behind, then plain pytest from the project root."""
    (tmp_path / "train.py").write_text(adapted)
    (tmp_path / "tests").mkdir(exist_ok=True)
    test_source = generate_test(ORIGINAL, adapted, task, AdaptOptions(path="train.py", timeout=120))
    (tmp_path / "tests" / "test_train_adapted.py").write_text(test_source)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_emitted_test_passes_on_correct_adaptation_and_fails_on_broken_one(tmp_path):
    passed = _emit_and_run(tmp_path, GOOD)
    assert passed.returncode == 0, passed.stdout[-3000:]
    (tmp_path / "train.py").write_text(
        BROKEN
    )  # the user's file regresses later; their CI must notice
    failed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert failed.returncode == 1
    assert "metrics not logged to MLflow: mse" in failed.stdout


@pytest.mark.slow
def test_check_executed_names_the_problem():
    assert (
        check_executed(ORIGINAL, GOOD, "track-mlflow", AdaptOptions(timeout=120)).status == "pass"
    )
    bad = check_executed(ORIGINAL, BROKEN, "track-mlflow", AdaptOptions(timeout=120))
    assert bad.status == "fail"
    assert any("metrics not logged to MLflow: mse" in r for r in bad.reasons)
    crash = check_executed(
        ORIGINAL,
        GOOD.replace("mlflow.log_param(", "mlflow.log_hyperparam("),
        "track-mlflow",
        AdaptOptions(timeout=120),
    )
    assert crash.status == "fail" and any("log_hyperparam" in r for r in crash.reasons)


@pytest.mark.slow
def test_wandb_adaptation_checked_through_the_offline_run():
    assert (
        check_executed(ORIGINAL, WANDB_GOOD, "track-wandb", AdaptOptions(timeout=120)).status
        == "pass"
    )
    no_config = WANDB_GOOD.replace(
        ', config={"learning_rate": LEARNING_RATE, "epochs": EPOCHS}', ""
    )
    bad = check_executed(ORIGINAL, no_config, "track-wandb", AdaptOptions(timeout=120))
    assert bad.status == "fail"
    assert any(
        "hyperparameters not in the W&B config: LEARNING_RATE, EPOCHS" in r for r in bad.reasons
    )


def test_original_that_cannot_run_gives_skip_not_fail():
    original = "open('missing-data.csv').read()\nprint('x')\n"
    check = check_executed(
        original, original + "import mlflow\n", "track-mlflow", AdaptOptions(timeout=60)
    )
    assert check.status == "skip"
    assert "original script does not run in the sandbox" in check.reasons[0]


def test_direction_from_the_objective_or_the_metrics():
    objective = "def objective(trial):\n    return val_loss\n"
    assert expected_direction(objective, ["accuracy"]) == "minimize"
    assert expected_direction("x = 1\n", ["accuracy", "f1"]) == "maximize"
    assert expected_direction("x = 1\n", ["accuracy", "loss"]) is None


def test_v5_runs_a_script_that_makes_its_own_repository_in_an_empty_folder():
    """The original decides for both runs: its adaptation calls DVC's `Repo.init`, not GitPython's."""
    from mlops_adapt.verify import testgen

    behaviour = {"ok": True, "stdout": "", "git_files": [], "files": []}
    own = 'import git\nrepo = git.Repo.init(".")\nrepo.index.add(["data.csv"])\nrepo.index.commit("c")\n'
    opened = own.replace("Repo.init", "Repo")
    adapted = opened + "import dvc.repo\ndvc.repo.Repo.init('.')\n"
    assert "\nREPO = False\n" in testgen.generate_test(own, own, "translate-gitpython-dvc", expected=behaviour)
    assert "\nREPO = True\n" in testgen.generate_test(opened, adapted, "translate-gitpython-dvc", expected=behaviour)
