"""Helpers for the executed recipe tests: adapt scripts through the engine, run them for real in temp dirs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

HERE = Path(__file__).parent
SCRIPTS = HERE / "scripts"


def adapted(task: str, source: str, **task_options: str) -> str:
    """The recipe's verified edit; fails the test when the engine does not apply one."""
    result = adapt(source, task, AdaptOptions(backend="recipe", task_options=dict(task_options)))
    assert isinstance(result, Applied), f"{task} was not applied: {result}"
    assert result.report.ok
    return result.code


def run_batch(programs: dict[str, str], workdir: Path, env: dict | None = None, timeout: float = 400) -> dict:
    """Run each program (key -> source) as __main__ in its own folder, in one real Python process.

    Returns key -> {"stdout", "error", "info"}; info holds what the driver read from the finished
    script: pruned/quantized torch layers, and the Optuna study's completed trials and best params.
    """
    paths = {}
    for key, source in programs.items():
        folder = workdir / key.replace("/", "_").removesuffix(".py")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "script.py"
        path.write_text(source)
        paths[key] = str(path)
    results_file = workdir / "results.json"
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "OPENAI_"))}
    full_env.update({"PYTHONWARNINGS": "ignore", "PYTHONHASHSEED": "0", **(env or {})})
    done = subprocess.run(
        [sys.executable, str(HERE / "_driver.py"), str(results_file), *paths.values()],
        check=False, cwd=workdir, env=full_env, capture_output=True, text=True, timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    raw = json.loads(results_file.read_text())
    return {key: raw[path] for key, path in paths.items()}


def missing_lines(original_stdout: str, adapted_stdout: str, mask_numbers: bool = False) -> list[str]:
    """Lines the original printed that the adapted script no longer prints (numbers masked on request)."""

    def norm(line: str) -> str:
        return re.sub(r"-?\d+(\.\d+)?(e-?\d+)?", "<n>", line) if mask_numbers else line

    produced = {norm(line) for line in adapted_stdout.splitlines()}
    return [line for line in original_stdout.splitlines() if line.strip() and norm(line) not in produced]
