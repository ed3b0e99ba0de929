"""The command-line contract: modes, exit codes, atomic writes, bad input, batches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_adapt.cli import main

from .runner import FIXTURES

TRAIN = (FIXTURES / "flat_sklearn.py").read_text()
RUN_START = 'with mlflow.start_run(run_name="train"):\n'  # the recipe's run context for train.py


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "train.py"
    path.write_text(TRAIN)
    return path


def test_tasks_json_lists_the_catalog(capsys):
    assert main(["tasks", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = {r["id"] for r in rows}
    assert {"track-mlflow", "track-wandb", "register-mlflow", "hpo-optuna", "translate-gitpython-dvc"} <= ids


def test_diff_is_default_and_leaves_the_file_alone(script, capsys):
    assert main(["apply", "track-mlflow", str(script)]) == 0
    out = capsys.readouterr().out
    assert "+import mlflow" in out and '+with mlflow.start_run(run_name="train"):' in out
    assert script.read_text() == TRAIN


def test_check_write_and_diff_agree_and_second_apply_is_a_noop(script, tmp_path, capsys):
    assert main(["apply", "track-mlflow", str(script), "--check"]) == 1
    assert main(["apply", "track-mlflow", str(script), "--diff"]) == 1  # explicit --diff: 1 on edits
    diff = capsys.readouterr().out
    assert main(["apply", "track-mlflow", str(script), "--write"]) == 0
    written = script.read_text()
    assert written != TRAIN
    # The printed diff applies to the original and gives exactly the written file.
    original = tmp_path / "orig" / "train.py"
    original.parent.mkdir()
    original.write_text(TRAIN)
    patch = diff.replace(f"a/{str(script).lstrip('/')}", "a/train.py").replace(f"b/{str(script).lstrip('/')}", "b/train.py")
    subprocess.run(["git", "apply", "-p1", "-"], input=patch, text=True, cwd=original.parent, check=True)
    assert original.read_text() == written
    assert main(["apply", "track-mlflow", str(script), "--check"]) == 0


def test_syntax_error_exits_2_with_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nx = (1,\nprint(x\n")
    before = bad.read_bytes()
    assert main(["apply", "track-mlflow", str(bad), "--write"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "syntax error" in err
    assert any(f"{bad}:{n}:" in err for n in (2, 3, 4))
    assert bad.read_bytes() == before


@pytest.mark.parametrize("payload, words", [(b"\x89PNG\r\n\x1a\n\x00\x00", "binary"), (b"x = '\xff\xfe'\n", "UTF-8")])
def test_unreadable_input_gets_a_clear_error(tmp_path, capsys, payload, words):
    path = tmp_path / "weird.py"
    path.write_bytes(payload)
    assert main(["apply", "track-mlflow", str(path), "--write"]) == 2
    assert words in capsys.readouterr().err
    assert path.read_bytes() == payload


def test_missing_path_and_unknown_task_exit_2(tmp_path, capsys):
    assert main(["apply", "track-mlflow", str(tmp_path / "nope.py")]) == 2
    assert main(["apply", "track-everything", str(tmp_path)]) == 2
    assert "unknown task" in capsys.readouterr().err


def test_no_training_code_is_nothing_to_adapt(tmp_path, capsys):
    path = tmp_path / "util.py"
    path.write_text((FIXTURES / "no_training.py").read_text())
    assert main(["apply", "track-mlflow", str(path), "--check"]) == 0
    assert "nothing to adapt" in capsys.readouterr().err


def test_one_bad_file_does_not_stop_the_batch(tmp_path, capsys):
    (tmp_path / "pkg").mkdir()
    good = tmp_path / "pkg" / "good.py"
    good.write_text(TRAIN)
    bad = tmp_path / "pkg" / "broken.py"
    bad.write_text("def f(:\n")
    (tmp_path / "pkg" / ".venv").mkdir()
    (tmp_path / "pkg" / ".venv" / "ignored.py").write_text(TRAIN)
    report = tmp_path / "report.json"
    code = main(["apply", "track-mlflow", str(tmp_path / "pkg"), "--write", "--jobs", "2", "--json", str(report)])
    assert code == 2
    assert "import mlflow" in good.read_text()
    assert bad.read_text() == "def f(:\n"
    assert "mlflow" not in (tmp_path / "pkg" / ".venv" / "ignored.py").read_text()
    files = {Path(f["path"]).name: f for f in json.loads(report.read_text())["files"]}
    assert set(files) == {"good.py", "broken.py"}
    assert files["good.py"]["status"] == "applied" and files["good.py"]["written"] is True
    assert files["broken.py"]["status"] == "failed" and files["broken.py"]["kind"] == "input"


def test_unhandled_shape_exits_3_and_leaves_the_file(tmp_path, capsys):
    library = tmp_path / "lib.py"
    text = "from sklearn.linear_model import Ridge\n\n\ndef fit(X, y):\n    return Ridge().fit(X, y)\n"
    library.write_text(text)
    assert main(["apply", "track-mlflow", str(library), "--write"]) == 3
    assert "nothing runs at module level" in capsys.readouterr().err
    assert library.read_text() == text


def test_verify_accepts_the_recipe_output_and_rejects_an_unrelated_edit(script, tmp_path, capsys):
    assert main(["apply", "track-mlflow", str(script), "--write"]) == 0
    original = tmp_path / "orig.py"
    original.write_text(TRAIN)
    assert main(["verify", "track-mlflow", str(original), str(script)]) == 0
    tampered = tmp_path / "tampered.py"
    tampered.write_text(script.read_text().replace("test_size=0.3", "test_size=0.5"))
    assert main(["verify", "track-mlflow", str(original), str(tampered)]) == 1
    assert "changes a value of the original" in capsys.readouterr().out


@pytest.mark.parametrize(
    "mutate, reason",
    [
        (lambda s: s.replace(RUN_START, "if True:\n"), "no MLflow run is started"),
        (lambda s: s.replace("    mlflow.log_metric(\"acc\", acc)\n", ""), "metric `acc`"),
        (lambda s: s.replace("    model.fit(X_train, y_train)  # train\n", ""), "drops training"),
        (lambda s: s + "import os\nmlflow.set_tag('who', os.system('id'))\n", "capability"),
        (lambda s: s.replace("# train", ""), "comment removed"),
        (lambda s: s.replace(RUN_START, RUN_START + "    pass\nif True:\n"), "outside an active MLflow run"),
    ],
)
def test_verify_rejects_broken_candidates_with_a_reason(script, tmp_path, capsys, mutate, reason):
    main(["apply", "track-mlflow", str(script), "--write"])
    capsys.readouterr()
    original = tmp_path / "orig.py"
    original.write_text(TRAIN)
    bad = tmp_path / "bad.py"
    bad.write_text(mutate(script.read_text()))
    assert main(["verify", "track-mlflow", str(original), str(bad), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    reasons = " ".join(r for c in report["checks"] for r in c["reasons"])
    assert reason in reasons


def test_console_entry_points_run(tmp_path):
    out = subprocess.run([sys.executable, "-m", "mlops_adapt", "tasks"], capture_output=True, text=True, check=True)
    assert "track-mlflow" in out.stdout
