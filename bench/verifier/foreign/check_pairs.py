"""Runs every good pair of the foreign verifier set and checks the adapted script keeps the output.

For each `accept` case in cases.json it runs the original and the candidate in fresh temp
folders (MLflow on a temp sqlite store, W&B offline, HOME in the temp folder), requires both to
exit 0, and requires every line the original printed to appear, in order, in the candidate's
output (numbers masked for hpo-optuna, whose tuned model scores differently). It also checks the
candidate's side effect: a finished MLflow run with params and, among its metrics, a number of
the original's last output line (track-mlflow), a registered model version (register-mlflow), a
finished offline W&B run with config and that number logged (track-wandb), and .dvc files but no data files in git (translate-gitpython-dvc). Translation
pairs run twice: in an empty folder and in a folder that already is a git + DVC repository (as
the verifier's sandbox prepares it).

    /work/main/.venv/bin/python bench/verifier/foreign/check_pairs.py [--match TEXT] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the W&B offline-run reader of mlops_adapt
NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")


def run_script(
    path: Path, repo: bool, timeout: float, task: str | None = None, result: str = ""
) -> tuple[int, str, str, float, list[str]]:
    """Run `path` in a fresh folder; (exit code, stdout, stderr, seconds, side-effect problems).

    The side effect of `task` is checked only when a task is given; `result` is the original's
    last output line, one of whose numbers a tracking task must have logged.
    """
    with tempfile.TemporaryDirectory(prefix="foreign-pair-") as tmp:
        work = Path(tmp) / "work"
        home = Path(tmp) / "home"
        work.mkdir()
        home.mkdir()
        env = dict(os.environ)
        env.update(
            HOME=str(home),
            MLFLOW_TRACKING_URI=f"sqlite:///{tmp}/mlflow.db",
            WANDB_MODE="offline",
            WANDB_DIR=str(Path(tmp)),
            WANDB_SILENT="true",
            GIT_AUTHOR_NAME="pair check",
            GIT_AUTHOR_EMAIL="pairs@example.invalid",
            GIT_COMMITTER_NAME="pair check",
            GIT_COMMITTER_EMAIL="pairs@example.invalid",
            DVC_NO_ANALYTICS="1",
            PYTHONWARNINGS="ignore",
        )
        if repo:
            for command in (
                ["git", "init", "-q"],
                [sys.executable, "-m", "dvc", "init", "-q"],
                ["git", "add", "-A"],
                ["git", "commit", "-q", "--allow-empty", "-m", "initial"],
            ):
                subprocess.run(command, cwd=work, env=env, check=True, capture_output=True)
        started = time.monotonic()
        try:
            done = subprocess.run(
                [sys.executable, str(path)],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return -1, "", f"timed out after {timeout:g} s", timeout, []
        seconds = time.monotonic() - started
        effects = side_effect_problems(task, Path(tmp), work, env, result) if task else []
        return done.returncode, done.stdout, done.stderr, seconds, effects


def side_effect_problems(
    task: str, root: Path, work: Path, env: dict, result: str = ""
) -> list[str]:
    """What is missing from the task's side effect after a candidate ran in `root`."""
    if task in ("track-mlflow", "register-mlflow"):
        if not (root / "mlflow.db").is_file():
            return ["no MLflow store was written"]
        from mlflow.tracking import MlflowClient

        uri = f"sqlite:///{root}/mlflow.db"
        client = MlflowClient(tracking_uri=uri, registry_uri=uri)
        ids = [e.experiment_id for e in client.search_experiments()]
        runs = [r for r in client.search_runs(ids) if r.info.status == "FINISHED"]
        if not runs:
            return ["no finished MLflow run"]
        if task == "register-mlflow":
            return [] if client.search_model_versions() else ["no registered model version"]
        problems = [] if any(r.data.params for r in runs) else ["no MLflow params"]
        logged = [v for r in runs for v in r.data.metrics.values()]
        return problems + result_not_logged(result, logged)
    if task == "track-wandb":
        from mlops_adapt.verify.wandb_offline import find_offline_runs, read_offline_run

        found = find_offline_runs(root)
        if not found:
            return ["no offline W&B run"]
        run = read_offline_run(found[-1])
        problems = [] if run["config"] else ["empty W&B config"]
        logged = list(run["summary"].values()) + [v for row in run["history"] for v in row.values()]
        problems += result_not_logged(result, logged)
        return problems + ([] if run["exit_code"] == 0 else ["the W&B run did not finish"])
    if task == "translate-gitpython-dvc":
        listed = subprocess.run(
            ["git", "ls-files"], cwd=work, env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        problems = [] if any(f.endswith(".dvc") for f in listed) else ["git tracks no .dvc file"]
        data = [f for f in listed if f.endswith(".csv")]
        return problems + ([f"git still tracks data: {data}"] if data else [])
    return []


def lines_kept(original: str, candidate: str, mask: bool) -> list[str]:
    """The original's output lines missing (in order) from the candidate's output."""

    def norm(line: str) -> str:
        line = line.rstrip()
        return NUMBER.sub("<n>", line) if mask else line

    produced = [norm(line) for line in candidate.splitlines()]
    position, missing = 0, []
    for line in (norm(line) for line in original.splitlines() if line.strip()):
        try:
            position = produced.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing


def result_not_logged(result: str, logged: list) -> list[str]:
    """A problem unless some number of the original's result line was logged (to its precision)."""
    values = [v for v in logged if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not values:
        return ["no metrics logged"]
    for match in NUMBER.finditer(result):
        text = match.group(0)
        decimals = len(text.split(".")[1].split("e")[0]) if "." in text else 0
        if any(abs(v - float(text)) <= 0.5 * 10**-decimals + 1e-12 for v in values):
            return []
    return [f"none of the numbers in {result!r} was logged"] if NUMBER.search(result) else []


def check_case(case: dict, timeout: float) -> dict:
    original = (HERE / case["original"]).resolve()
    candidate = (HERE / case["candidate"]).resolve()
    modes = [False, True] if case["task"] == "translate-gitpython-dvc" else [False]
    problems, seconds = [], 0.0
    for repo in modes:
        where = "in a git+DVC repo" if repo else "in an empty folder"
        o_rc, o_out, o_err, _, _ = run_script(original, repo, timeout)
        result = ([line for line in o_out.splitlines() if line.strip()] or [""])[-1]
        c_rc, c_out, c_err, took, effects = run_script(
            candidate, repo, timeout, case["task"], result
        )
        seconds = max(seconds, took)
        problems += [f"{where}: {problem}" for problem in effects]
        if o_rc != 0:
            problems.append(f"original exits {o_rc} {where}: {o_err.strip()[-300:]}")
        if c_rc != 0:
            problems.append(f"candidate exits {c_rc} {where}: {c_err.strip()[-300:]}")
        missing = lines_kept(o_out, c_out, mask=case["task"] == "hpo-optuna")
        if missing:
            problems.append(f"{where}, missing output lines: {missing}")
    return {"id": case["id"], "ok": not problems, "problems": problems, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--match", default=None, help="only cases whose id contains this")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args(argv)
    cases = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))["cases"]
    chosen = [
        c for c in cases if c["expect"] == "accept" and (not args.match or args.match in c["id"])
    ]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda c: check_case(c, args.timeout), chosen))
    for result in results:
        status = "ok  " if result["ok"] else "FAIL"
        print(f"{status} {result['id']:<45} {result['seconds']:5.1f}s")
        for problem in result["problems"]:
            print(f"     {problem}")
    failed = sum(not r["ok"] for r in results)
    print(f"{len(results) - failed}/{len(results)} good pairs keep the original's output")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
