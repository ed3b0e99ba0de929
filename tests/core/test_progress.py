"""Slow commands show a status line on a terminal (a real pseudo-terminal), and none in a pipe."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "train.py"
STATUS = "\r\x1b[K"  # how the status line redraws itself


def _env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLOPS_ADAPT_", "PYTEST_"))}
    env.update({"PYTHONPATH": str(ROOT), "MLOPS_ADAPT_CACHE_DIR": str(cache), "TERM": "xterm",
                "HF_HUB_OFFLINE": "1"})
    return env


def run_cli(args: list[str], cwd: Path, env: dict, terminal: bool) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `mlops-adapt ARGS`, stderr on a pseudo-terminal or a pipe."""
    command = [sys.executable, "-m", "mlops_adapt", *args]
    with tempfile.TemporaryFile() as out:
        if not terminal:
            done = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE,
                                  timeout=900, check=False)
            out.seek(0)
            return done.returncode, out.read().decode(), done.stderr.decode()
        master, slave = pty.openpty()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=slave,
                                stdin=subprocess.DEVNULL)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        code = proc.wait(timeout=900)
        out.seek(0)
        return code, out.read().decode(), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture()
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.mark.slow
def test_index_build_shows_its_steps_on_a_terminal_only(tmp_path, cache):
    args = ["index", "build", "--lib", "dvc", "--lib", "git"]
    code, out, err = run_cli(args, tmp_path, _env(cache), terminal=True)
    assert code == 0, err
    assert STATUS in err
    assert "[1/2] indexing dvc" in err and "[2/2] indexing git" in err  # per library
    assert "dvc 3" in out and "done in" in out

    shutil.rmtree(cache)
    code, out, err = run_cli(args, tmp_path, _env(cache), terminal=False)
    assert code == 0, err
    assert "\r" not in err and "\x1b[" not in err, err
    assert "indexing" not in err and "Loading" not in err, err
    assert "dvc 3" in out


@pytest.mark.slow
def test_v5_says_which_file_and_step_runs(tmp_path, cache):
    shutil.copy(EXAMPLE, tmp_path / "train.py")
    args = ["apply", "track-mlflow", "train.py", "--verify", "run"]
    code, out, err = run_cli(args, tmp_path, _env(cache), terminal=True)
    assert code == 0, err
    assert STATUS in err
    assert "train.py: V5 track-mlflow: running the original script" in err
    assert "train.py: V5: running the adapted script and the generated test (pytest)" in err
    assert "+import mlflow" in out

    code, out, err = run_cli(args, tmp_path, _env(cache), terminal=False)
    assert code == 0, err
    assert "\r" not in err and "\x1b[" not in err and "V5" not in err, err


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.slow
def test_review_shows_the_file_being_adapted(tmp_path, cache):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    (repo / "README.md").write_text("x\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    shutil.copy(EXAMPLE, repo / "train.py")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "head")
    args = ["review", "--repo", str(repo), "--base", "HEAD~1", "--head", "HEAD",
            "--task", "track-mlflow", "--backend", "recipe"]
    code, out, err = run_cli(args, tmp_path, _env(cache), terminal=True)
    assert code == 0, err
    assert STATUS in err and "[1/1] adapting train.py" in err
    assert "train.py" in out

    code, out, err = run_cli(args, tmp_path, _env(cache), terminal=False)
    assert code == 0, err
    assert "\r" not in err and "\x1b[" not in err and "adapting" not in err, err
