"""Runs every good pair of the foreign verifier set and checks the adapted script keeps the output.

For each `accept` case in cases.json it runs the original and the candidate in fresh temp
folders (MLflow on a temp sqlite store, W&B offline, HOME in the temp folder), requires both to
exit 0, and requires every line the original printed to appear, in order, in the candidate's
output (numbers masked for hpo-optuna, whose tuned model scores differently). Translation pairs
run twice: in an empty folder and in a folder that already is a git + DVC repository (as the
verifier's sandbox prepares it).

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
NUMBER = re.compile(r"-?\d+(\.\d+)?(e-?\d+)?")


def run_script(path: Path, repo: bool, timeout: float) -> tuple[int, str, str, float]:
    """Run `path` in a fresh folder; (exit code, stdout, stderr, seconds)."""
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
            return -1, "", f"timed out after {timeout:g} s", timeout
        return done.returncode, done.stdout, done.stderr, time.monotonic() - started


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


def check_case(case: dict, timeout: float) -> dict:
    original = (HERE / case["original"]).resolve()
    candidate = (HERE / case["candidate"]).resolve()
    modes = [False, True] if case["task"] == "translate-gitpython-dvc" else [False]
    problems, seconds = [], 0.0
    for repo in modes:
        where = "in a git+DVC repo" if repo else "in an empty folder"
        o_rc, o_out, o_err, _ = run_script(original, repo, timeout)
        c_rc, c_out, c_err, took = run_script(candidate, repo, timeout)
        seconds = max(seconds, took)
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
