"""Benchmark: what bubblewrap isolation adds to one sandboxed run (run_script), isolated vs not.

Usage: python bench/sandbox_overhead.py [repeats]. The unisolated runs use the documented opt-in
(MLOPS_ADAPT_UNSAFE_SANDBOX=1 with the probe forced to fail); both use the same launcher, limits
and stores, so the difference is bwrap itself plus the sandbox handover.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlops_adapt.verify import sandbox
from mlops_adapt.verify.testgen import mlflow_template

SCRIPTS = {
    "print": "print('hello')\n",
    "mlflow run": (
        "import mlflow\n"
        "with mlflow.start_run():\n"
        "    mlflow.log_param('n', 1)\n"
        "    mlflow.log_metric('acc', 0.9)\n"
    ),
}


def timed_run(script: str, isolated: bool) -> float:
    saved = dict(sandbox._CACHE)
    if not isolated:
        sandbox._CACHE["problem"] = "benchmark: unisolated on purpose"
        os.environ[sandbox.UNSAFE_ENV_VAR] = "1"
    try:
        started = time.perf_counter()
        run = sandbox.run_script(script, timeout=300, mlflow_template=mlflow_template())
        seconds = time.perf_counter() - started
        assert run.ok and run.isolated == isolated, run.stderr
        shutil.rmtree(run.root, ignore_errors=True)
        return seconds
    finally:
        sandbox._CACHE.clear()
        sandbox._CACHE.update(saved)
        os.environ.pop(sandbox.UNSAFE_ENV_VAR, None)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    problem = sandbox.isolation_problem()
    if problem:
        sys.exit(f"cannot benchmark isolation here: {problem}")
    started = time.perf_counter()
    sandbox._CACHE.clear()
    sandbox.isolation_problem()
    print(f"isolation probe (once per process): {time.perf_counter() - started:.3f} s")
    print(
        f"{'script':<12} {'isolated':>10} {'unisolated':>11} {'added':>8}   (medians of {repeats})"
    )
    for name, script in SCRIPTS.items():
        # Alternate the two, so that load from other processes hits both alike.
        pairs = [(timed_run(script, True), timed_run(script, False)) for _ in range(repeats)]
        isolated = statistics.median(a for a, _ in pairs)
        plain = statistics.median(b for _, b in pairs)
        added = statistics.median(a - b for a, b in pairs)
        print(f"{name:<12} {isolated:>9.3f}s {plain:>10.3f}s {added:>+7.3f}s")


if __name__ == "__main__":
    main()
