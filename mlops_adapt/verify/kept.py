"""The body of the test `apply --write --emit-test` leaves behind: run the script, check its side effect.

A real module (linted) whose body testgen inlines after the adaptation's constants and before the
task's `kept_side_effect` (from its checks.py). Unlike the V5 test it pins no printed output and
no values: it checks keys and sanity (finite numbers), so retuning a hyperparameter keeps it
green, and it runs the script without a sandbox, as the user's CI would.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# inline: drop-start
# The adaptation's constants: testgen writes the real values here, in their place.
TASK = ""
SCRIPT = "train.py"  # relative to the test file
EXTRA_FILES: list[str] = []
TIMEOUT = 600.0
REPO = False
LOGGED_PARAMS: list[str] = []  # keys the adapted code logs as params (literal keys only)
LOGGED_METRICS: list[str] = []  # keys it logs as metrics
ADDED_OUTPUT: list[str] = []  # leading text of the prints the adaptation added
SUGGESTED: list[str] = []  # hyperparameters an Optuna objective suggests
# inline: drop-end
# inline: constants


@dataclass
class ScriptRun:
    """What one run of the script left behind."""

    workdir: Path
    returncode: int
    stdout: str
    stderr: str
    mlflow_uri: str


def script_path() -> Path:
    """$MLOPS_ADAPT_SCRIPT, else SCRIPT relative to this test file."""
    return Path(os.environ.get("MLOPS_ADAPT_SCRIPT") or Path(__file__).parent / SCRIPT).resolve()


def _git(workdir: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=workdir, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> ScriptRun:
    """Run a copy of the script in a temp folder, with every backend pointed at temp stores."""
    script = script_path()
    workdir = tmp_path_factory.mktemp("run")
    for name in [script.name, *EXTRA_FILES]:
        if (script.parent / name).is_file():
            shutil.copy(script.parent / name, workdir / name)
    uri = f"sqlite:///{workdir / 'mlflow.db'}"
    env = {
        **os.environ,
        "MLFLOW_TRACKING_URI": uri,
        "MLFLOW_REGISTRY_URI": uri,
        "WANDB_MODE": "offline",
        "WANDB_DIR": str(workdir),
        "WANDB_SILENT": "true",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(script.parent), os.environ.get("PYTHONPATH")])),
    }
    if REPO:  # the script versions data: give it a fresh git + DVC repository
        _git(workdir, "init", "-q", "-b", "main")
        _git(workdir, "config", "user.email", "test@example.com")
        _git(workdir, "config", "user.name", "test")
        subprocess.run([sys.executable, "-m", "dvc", "init", "-q"], cwd=workdir, check=True)
        _git(workdir, "add", "-A")
        _git(workdir, "commit", "-q", "-m", "initial commit")
    done = subprocess.run(
        [sys.executable, script.name], cwd=workdir, env=env, capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )
    return ScriptRun(workdir, done.returncode, done.stdout, done.stderr, uri)


def test_script_runs(run):
    assert run.returncode == 0, f"the script exited with {run.returncode}: {run.stderr[-1500:]}"


def key_matches(name: str, keys) -> bool:
    """A logged key names `name`: equal ignoring case and separators, or ending in /name, .name."""
    want = re.sub(r"[^0-9a-z]", "", name.lower())
    for key in keys:
        have = re.sub(r"[^0-9a-z]", "", str(key).lower())
        if have == want or re.split(r"[/.]|__", str(key))[-1].lower() == name.lower():
            return True
    return False


def finite_numbers(text: str) -> list[float]:
    """The finite numbers written in a line of output."""
    found = [float(n) for n in re.findall(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", text)]
    return [n for n in found if math.isfinite(n)]
