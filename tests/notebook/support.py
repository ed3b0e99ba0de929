"""Helpers for the notebook tests: the CLI and IPython runs in subprocesses, notebooks read back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = Path(__file__).parent / "notebooks"
RUNNER = Path(__file__).parent / "run_notebook.py"


def clean_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MLOPS_ADAPT_", "OPENAI_", "MLFLOW_", "WANDB_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def cli(*args, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """One real run of `mlops-adapt`; stdout and stderr as text."""
    return subprocess.run([sys.executable, "-m", "mlops_adapt", *map(str, args)], cwd=cwd,
                          env=clean_env(), capture_output=True, text=True, timeout=timeout,
                          check=False)


def copy_notebook(name: str, folder: Path) -> Path:
    target = folder / name
    shutil.copyfile(NOTEBOOKS / name, target)
    return target


def run_in_ipython(notebook: Path, workdir: Path, env: dict | None = None,
                   timeout: float = 300) -> subprocess.CompletedProcess:
    """Run every code cell in one IPython shell, in order, as a kernel would, magics included,
    with MLflow on a sqlite store and W&B offline in `workdir`."""
    uri = f"sqlite:///{workdir / 'mlflow.db'}"
    extra = {"MLFLOW_TRACKING_URI": uri, "MLFLOW_REGISTRY_URI": uri, "WANDB_MODE": "offline",
             "WANDB_SILENT": "true", "WANDB_DIR": str(workdir), "PYTHONHASHSEED": "0",
             "IPYTHONDIR": str(workdir / ".ipython"), **(env or {})}
    return subprocess.run([sys.executable, str(RUNNER), str(notebook)], cwd=workdir,
                          env=clean_env(extra), capture_output=True, text=True, timeout=timeout,
                          check=False)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_of(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source
