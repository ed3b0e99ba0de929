"""Runs a training script in a fresh temp dir against temp MLflow/W&B stores (test helper)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "scripts"


@dataclass
class ScriptRun:
    returncode: int
    stdout: str
    stderr: str
    workdir: Path
    tracking_uri: str


def run_script(code: str, workdir: Path, timeout: float = 240) -> ScriptRun:
    """Write `code` as train.py in `workdir`, run it, and return what happened."""
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "train.py"
    script.write_text(code, encoding="utf-8")
    tracking_uri = f"sqlite:///{workdir / 'mlflow.db'}"
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("MLFLOW_", "WANDB_")) and not k.endswith(("_TOKEN", "_KEY", "_SECRET"))
    }
    env.update(
        MLFLOW_TRACKING_URI=tracking_uri,
        MLFLOW_REGISTRY_URI=tracking_uri,
        WANDB_MODE="offline",
        WANDB_SILENT="true",
        WANDB_DIR=str(workdir),
        PYTHONHASHSEED="0",
    )
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout
    )
    return ScriptRun(proc.returncode, proc.stdout, proc.stderr, workdir, tracking_uri)
