"""The command line on hostile input (issues 14 and 17), run as real `python -m mlops_adapt`."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import mlops_adapt

from .runner import FIXTURES

ROOT = Path(mlops_adapt.__file__).resolve().parent.parent
TRAIN = (FIXTURES / "flat_sklearn.py").read_text()
NO_TRAINING = (FIXTURES / "no_training.py").read_text()
# Runs the CLI exactly as `python -m mlops_adapt` does, after making some imports fail the way a
# missing package does (None in sys.modules makes `import name` raise ImportError).
BLOCKING_RUNNER = (
    "import runpy, sys\n"
    "for name in sys.argv[1].split(','):\n"
    "    sys.modules[name] = None\n"
    "sys.argv = ['mlops-adapt', *sys.argv[2:]]\n"
    "runpy.run_module('mlops_adapt', run_name='__main__', alter_sys=True)\n"
)


def cli_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLOPS_ADAPT_", "OPENAI_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def cli(
    *args, cwd: Path, env: dict | None = None, block: tuple[str, ...] = (), timeout: float = 120
):
    """One real run of the command line; stdout and stderr as bytes."""
    prefix = ["-c", BLOCKING_RUNNER, ",".join(block)] if block else ["-m", "mlops_adapt"]
    return subprocess.run(
        [sys.executable, *prefix, *map(str, args)],
        cwd=cwd,
        env=cli_env(env),
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(proc, *words: str) -> str:
    """Exit 2, no traceback, and one stderr line that names the problem.

    A problem found in a file (not on the command line) is followed by the run's summary line.
    """
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    if len(lines) == 2 and lines[1].startswith("mlops-adapt: 1 file: "):
        lines.pop()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder with train.py (a training script) and no pyproject.toml above it."""
    (tmp_path / "train.py").write_text(TRAIN)
    return tmp_path


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".mlops-adapt-backup"))
    )


# ---------------------------------------------------------------- issue 14: --write keeps the file
def test_write_goes_through_a_symlink_to_its_target(work):
    (work / "real").mkdir()
    target = work / "real" / "train.py"
    target.write_text(TRAIN)
    link = work / "link.py"
    link.symlink_to(Path("real") / "train.py")
    proc = cli("apply", "track-mlflow", "link.py", "--write", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "train.py")
    assert "import mlflow" in target.read_text()
    assert leftovers(work) == [] and leftovers(work / "real") == []


def test_write_keeps_hard_links(work):
    first, second = work / "train.py", work / "same.py"
    os.link(first, second)
    inode = first.stat().st_ino
    proc = cli("apply", "track-mlflow", "train.py", "--write", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert first.stat().st_ino == second.stat().st_ino == inode and first.stat().st_nlink == 2
    assert "import mlflow" in second.read_text()
    assert leftovers(work) == []  # the in-place write's backup is gone once the write is on disk


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_write_keeps_line_ends(work, newline):
    path = work / "train.py"
    path.write_bytes(TRAIN.replace("\n", newline).encode())
    proc = cli("apply", "track-mlflow", "train.py", "--write", cwd=work)
    assert proc.returncode == 0, proc.stderr
    data = path.read_bytes()
    assert b"import mlflow" + newline.encode() in data and data.endswith(newline.encode())
    if newline == "\r\n":
        assert data.count(b"\n") == data.count(b"\r\n") == data.count(b"\r")
    else:
        assert b"\n" not in data


def test_write_keeps_a_utf8_bom_and_the_mode(work):
    path = work / "train.py"
    path.write_bytes(b"\xef\xbb\xbf" + TRAIN.encode())
    path.chmod(0o750)
    proc = cli("apply", "track-mlflow", "train.py", "--write", cwd=work)
    assert proc.returncode == 0, proc.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf" * 2)
    assert b"import mlflow" in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o750


def test_a_read_only_file_is_refused(work):
    path = work / "train.py"
    path.chmod(0o444)
    proc = cli("apply", "track-mlflow", "train.py", "--write", cwd=work)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    assert "train.py: not written: the file is read-only" in err
    assert path.read_text() == TRAIN and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_file_named_twice_or_through_links_is_adapted_once(work):
    os.link(work / "train.py", work / "hard.py")
    (work / "soft.py").symlink_to("train.py")
    proc = cli("apply", "track-mlflow", "train.py", "./train.py", ".", "--write", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().count("adapted for track-mlflow") == 1
    assert "import mlflow" in (work / "hard.py").read_text() and (work / "soft.py").is_symlink()


@pytest.mark.parametrize("hard_link", [False, True], ids=["rename", "in-place"])
def test_a_failed_write_leaves_the_whole_old_file(work, hard_link):
    """A real write failure: the file-size limit stops the new, longer content part-way."""
    path = work / "train.py"
    if hard_link:
        os.link(path, work / "other.py")
    limit = len(TRAIN.encode()) + 40
    runner = (
        "import resource, runpy, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "sys.argv = ['mlops-adapt', 'apply', 'track-mlflow', 'train.py', '--write']\n"
        "runpy.run_module('mlops_adapt', run_name='__main__', alter_sys=True)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", runner],
        cwd=work,
        env=cli_env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err, err
    assert "train.py: not written: File too large" in err
    assert path.read_text() == TRAIN and leftovers(work) == []


# ---------------------------------------------------------------- issue 14: --diff applies
def _variants():
    no_final_newline = TRAIN.rstrip("\n")
    form_feed = TRAIN.replace("N_ESTIMATORS = 30\n", "\x0c\nN_ESTIMATORS = 30\n")
    return {
        "no-final-newline": ("train.py", no_final_newline.encode()),
        "form-feed-line": ("train.py", form_feed.encode()),
        "cr-only": ("train.py", TRAIN.replace("\n", "\r").encode()),
        "crlf": ("train.py", TRAIN.replace("\n", "\r\n").encode()),
        "bom": ("train.py", b"\xef\xbb\xbf" + TRAIN.encode()),
        "space-in-name": ("my train.py", TRAIN.encode()),
        "quote-in-name": ('say "hi".py', TRAIN.encode()),
    }


@pytest.mark.parametrize("case", list(_variants()))
def test_diff_applies_with_git_and_patch_and_gives_the_written_file(tmp_path, case):
    name, data = _variants()[case]
    for side in ("diffed", "written"):
        (tmp_path / side).mkdir()
        (tmp_path / side / name).write_bytes(data)
    proc = cli("apply", "track-mlflow", name, "--diff", cwd=tmp_path / "diffed")
    assert proc.returncode == 1, proc.stderr  # explicit --diff with an edit
    patch_file = tmp_path / "edit.patch"
    patch_file.write_bytes(proc.stdout)
    diffed = tmp_path / "diffed"
    subprocess.run(
        ["git", "apply", "--check", str(patch_file)], cwd=diffed, check=True, capture_output=True
    )
    dry = subprocess.run(
        ["patch", "-p1", "--dry-run", "-i", str(patch_file)],
        cwd=diffed,
        capture_output=True,
        check=False,
    )
    assert dry.returncode == 0, dry.stdout + dry.stderr
    subprocess.run(["git", "apply", str(patch_file)], cwd=diffed, check=True, capture_output=True)
    assert cli("apply", "track-mlflow", name, "--write", cwd=tmp_path / "written").returncode == 0
    written = (tmp_path / "written" / name).read_bytes()
    assert written != data and (diffed / name).read_bytes() == written


def test_a_file_without_final_newline_is_marked_in_the_diff(work):
    (work / "train.py").write_text(TRAIN.rstrip("\n"))
    out = cli("apply", "track-mlflow", "train.py", cwd=work).stdout.decode()
    assert "\\ No newline at end of file" in out


# ---------------------------------------------------------------- issue 14: special files
def test_a_fifo_is_refused_and_does_not_block_the_run(work):
    (work / "pkg").mkdir()
    shutil.copy(work / "train.py", work / "pkg" / "good.py")
    os.mkfifo(work / "pkg" / "pipe.py")
    os.mkfifo(work / "alone.py")
    proc = cli("apply", "track-mlflow", "alone.py", "pkg", "--write", cwd=work, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    assert "alone.py: not a regular file (a FIFO); not read" in err
    assert "pipe.py: not a regular file (a FIFO); not read" in err
    assert "import mlflow" in (work / "pkg" / "good.py").read_text()


def test_a_device_and_a_huge_file_are_refused(work):
    huge = work / "huge.py"
    huge.write_text("x = 1\n" * 1_000_000)  # 6 MB
    proc = cli("apply", "track-mlflow", "/dev/zero", "huge.py", cwd=work, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err and "MemoryError" not in err
    assert "/dev/zero: not a regular file (a character device); not read" in err
    assert "huge.py: too large for a training script (6.0 MB; the limit is 5 MB)" in err


# ---------------------------------------------------------------- issue 14: one-line errors
@pytest.mark.parametrize(
    "args, words",
    [
        (["--option", "timeout=abc"], ["timeout", "'abc'", "seconds"]),
        (["--json", "reports"], ["--json reports", "is a folder"]),
        (
            ["--json", "missing/report.json"],
            ["--json missing/report.json", "folder missing does not exist"],
        ),
        (["--emit-test", "afile"], ["--emit-test afile", "not a folder"]),
    ],
    ids=["timeout-abc", "json-folder", "json-missing-folder", "emit-test-onto-file"],
)
def test_bad_arguments_give_one_line_errors_and_touch_nothing(work, args, words):
    (work / "reports").mkdir()
    (work / "afile").write_text("keep me\n")
    proc = cli("apply", "track-mlflow", "train.py", "--write", *args, cwd=work)
    assert_one_line_error(proc, *words)
    assert (work / "train.py").read_text() == TRAIN
    assert (work / "afile").read_text() == "keep me\n" and not (work / "missing").exists()


def test_lsp_with_a_bad_tcp_address_or_a_busy_port_is_one_line(tmp_path):
    proc = cli("lsp", "--tcp", "notaport", cwd=tmp_path, timeout=60)
    assert_one_line_error(proc, "HOST:PORT", "notaport")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        address = f"127.0.0.1:{busy.getsockname()[1]}"
        proc = cli("lsp", "--tcp", address, cwd=tmp_path, timeout=60)
    assert_one_line_error(proc, f"cannot listen on {address}", "address already in use")


def test_llm_backend_without_openai_names_the_extra(work):
    proc = cli(
        "apply",
        "track-mlflow",
        "train.py",
        "--backend",
        "llm",
        cwd=work,
        block=("openai",),
        env={"MLOPS_ADAPT_LLM_BASE_URL": "http://127.0.0.1:9/v1"},
    )
    assert_one_line_error(proc, "openai", "pip install 'mlops-adapt[llm]'")


def test_auto_backend_without_openai_says_it_uses_recipes_only(work):
    proc = cli(
        "apply",
        "track-mlflow",
        "train.py",
        "--check",
        cwd=work,
        block=("openai",),
        env={"MLOPS_ADAPT_LLM_BASE_URL": "http://127.0.0.1:9/v1"},
    )
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert "note: no LLM fallback, recipes only: the openai package is not installed" in err
    assert "train.py: would adapt for track-mlflow" in err


def test_verify_run_without_pytest_names_pytest(work):
    proc = cli("apply", "track-mlflow", "train.py", "--verify", "run", cwd=work, block=("pytest",))
    assert_one_line_error(proc, "--verify run needs pytest")
    proc = cli(
        "verify", "track-mlflow", "train.py", "train.py", "--run", cwd=work, block=("pytest",)
    )
    assert_one_line_error(proc, "--verify run needs pytest")


# ---------------------------------------------------------------- issue 17: conventions
def test_version(tmp_path):
    proc = cli("--version", cwd=tmp_path)
    assert (
        proc.returncode == 0
        and proc.stdout.decode().strip() == f"mlops-adapt {mlops_adapt.__version__}"
    )
    script = Path(sys.executable).with_name("mlops-adapt")
    if script.exists():  # the console-script entry point, when installed next to this interpreter
        out = subprocess.run(
            [script, "--version"], env=cli_env(), capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == f"mlops-adapt {mlops_adapt.__version__}"


def test_a_closed_pipe_ends_the_run_quietly(work):
    for i in range(40):
        shutil.copy(work / "train.py", work / f"t{i:02}.py")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlops_adapt", "apply", "track-mlflow", "."],
        cwd=work,
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout.readline().startswith(b"--- a/")
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert (
        "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err
    )


def test_json_to_stdout_is_only_json_and_carries_the_diff(work):
    (work / "util.py").write_text(NO_TRAINING)
    proc = cli("apply", "track-mlflow", ".", "--diff", "--json", "-", cwd=work)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)  # the whole of stdout is one JSON document
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert "+import mlflow\n" in files["train.py"]["diff"]
    assert files["util.py"]["status"] == "skipped" and "diff" not in files["util.py"]


def test_emit_test_without_write_is_an_error(work):
    for mode in ([], ["--diff"], ["--check"]):
        proc = cli("apply", "track-mlflow", "train.py", *mode, "--emit-test", "gen", cwd=work)
        assert_one_line_error(proc, "--emit-test needs --write")
    assert not (work / "gen").exists()


def test_emit_test_with_write_writes_and_replaces_its_own_test(work):
    for _ in range(2):  # the second run replaces the test the first one generated
        (work / "train.py").write_text(TRAIN)
        proc = cli("apply", "track-mlflow", "train.py", "--write", "--emit-test", "gen", cwd=work)
        assert proc.returncode == 0, proc.stderr
    text = (work / "gen" / "test_train_track_mlflow.py").read_text()
    assert text.startswith('"""Generated by mlops-adapt') and compile(text, "t.py", "exec")


def test_emit_test_does_not_replace_a_hand_written_test(work):
    (work / "gen").mkdir()
    mine = work / "gen" / "test_train_track_mlflow.py"
    mine.write_text("def test_mine():\n    assert True\n")
    proc = cli("apply", "track-mlflow", "train.py", "--write", "--emit-test", "gen", cwd=work)
    assert proc.returncode == 2
    assert "was not generated by mlops-adapt" in proc.stderr.decode()
    assert mine.read_text() == "def test_mine():\n    assert True\n"


@pytest.mark.parametrize(
    "task, option, words",
    [
        (
            "track-mlflow",
            "nope=1",
            ["--option nope", "unknown option for task track-mlflow", "timeout"],
        ),
        ("track-mlflow", "project=x", ["--option project", "unknown option for task track-mlflow"]),
        ("hpo-optuna", "n_trials=0", ["--option n_trials='0'", "whole number"]),
        ("optimize-prune", "amount=2", ["--option amount='2'", "between 0 and 1"]),
        ("track-mlflow", "llm.k=many", ["--option llm.k='many'", "expects a int"]),
        ("track-mlflow", "llm.colour=red", ["--option llm.colour", "unknown LLM setting", "llm.k"]),
    ],
)
def test_options_are_checked_per_task(work, task, option, words):
    assert_one_line_error(cli("apply", task, "train.py", "--option", option, cwd=work), *words)


def test_a_known_option_is_accepted(work):
    proc = cli("apply", "track-wandb", "train.py", "--check", "--option", "project=demo", cwd=work)
    assert proc.returncode == 1, proc.stderr


@pytest.mark.parametrize(
    "pyproject, env, words",
    [
        ("", {"MLOPS_ADAPT_BACKEND": "foo"}, ["MLOPS_ADAPT_BACKEND='foo'", "auto, recipe, llm"]),
        ("", {"MLOPS_ADAPT_VERIFY": "always"}, ["MLOPS_ADAPT_VERIFY='always'", "static, run"]),
        (
            '[tool.mlops-adapt]\nverify = "sometimes"\n',
            {},
            ["pyproject.toml", "verify='sometimes'"],
        ),
        ('[tool.mlops-adapt]\nbakend = "recipe"\n', {}, ["bakend: unknown key", "backend"]),
        (
            '[tool.mlops-adapt.options]\nproject = "p"\ncolour = "red"\n',
            {},
            ["colour", "unknown option"],
        ),
        ("[tool.mlops-adapt\n", {}, ["pyproject.toml", "invalid TOML"]),
    ],
    ids=[
        "env-backend",
        "env-verify",
        "file-verify",
        "file-unknown-key",
        "file-unknown-option",
        "bad-toml",
    ],
)
def test_configuration_values_are_checked(work, pyproject, env, words):
    if pyproject:
        (work / "pyproject.toml").write_text(pyproject)
    assert_one_line_error(cli("apply", "track-mlflow", "train.py", cwd=work, env=env), *words)


def test_an_option_for_another_task_in_the_config_is_fine(work):
    (work / "pyproject.toml").write_text('[tool.mlops-adapt.options]\nproject = "p"\n')
    assert cli("apply", "track-mlflow", "train.py", cwd=work).returncode == 0


def test_a_syntax_error_has_one_position(work):
    (work / "bad.py").write_text("import numpy as np\nx = (1,\nprint(x\n")
    line = assert_one_line_error(cli("apply", "track-mlflow", "bad.py", cwd=work))
    assert re.fullmatch(r"bad\.py:3:6: syntax error: '\(' was never closed", line), line


def test_a_folder_without_python_files_exits_2(work):
    (work / "notes").mkdir()
    (work / "notes" / "README.md").write_text("# notes\n")
    line = assert_one_line_error(cli("apply", "track-mlflow", "notes", cwd=work))
    assert line == "mlops-adapt: notes: no Python files or notebooks found"


def test_a_notebook_that_is_not_nbformat_4_exits_2(work):
    (work / "explore.ipynb").write_text('{"cells": []}')
    assert_one_line_error(
        cli("apply", "track-mlflow", "explore.ipynb", cwd=work),
        "explore.ipynb: not a Jupyter notebook in nbformat 4",
    )


def test_exit_codes_of_the_modes(work):
    (work / "util.py").write_text(NO_TRAINING)
    assert cli("apply", "track-mlflow", "train.py", cwd=work).returncode == 0  # default: diff, 0
    assert cli("apply", "track-mlflow", "train.py", "--diff", cwd=work).returncode == 1
    assert cli("apply", "track-mlflow", "train.py", "--check", cwd=work).returncode == 1
    assert cli("apply", "track-mlflow", "util.py", "--diff", cwd=work).returncode == 0
    assert cli("apply", "track-mlflow", "util.py", "--check", cwd=work).returncode == 0


def test_every_run_ends_with_a_summary_line(work):
    (work / "util.py").write_text(NO_TRAINING)
    (work / "broken.py").write_text("def f(:\n")
    proc = cli("apply", "track-mlflow", ".", "--write", cwd=work)
    assert proc.returncode == 2
    last = proc.stderr.decode().strip().splitlines()[-1]
    assert re.fullmatch(
        r"mlops-adapt: 3 files: 1 edited, 1 skipped, 1 failed \(\d+\.\d s\)", last
    ), last


def _stderr_on_a_terminal(args, cwd: Path) -> str:
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mlops_adapt", *args],
        cwd=cwd,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode()


def test_progress_is_drawn_on_a_terminal_and_only_there(work):
    for name in ("a.py", "b.py"):
        shutil.copy(work / "train.py", work / name)
    shown = _stderr_on_a_terminal(["apply", "track-mlflow", ".", "--check"], work)
    assert "[0/3]" in shown and "[3/3]" in shown and "\r\x1b[K" in shown
    assert "mlops-adapt: 3 files:" in shown
    piped = cli("apply", "track-mlflow", ".", "--check", cwd=work).stderr.decode()
    assert "[1/3]" not in piped and "\x1b[" not in piped and "mlops-adapt: 3 files:" in piped
