"""V5, executed verification: generate the task's pytest file and run it with pytest in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from mlops_adapt import progress
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Check
from mlops_adapt.tasks import TASKS
from mlops_adapt.verify import sandbox, testgen

# Seconds the pytest process may take beyond the script's own timeout (imports, reading stores).
PYTEST_OVERHEAD = 120.0


def check_executed(
    original: str, candidate: str, task: str, options: AdaptOptions | None = None
) -> Check:
    """Run the generated test on `candidate`; pass, fail with reasons naming the problem, or skip."""
    return check_executed_many([(original, candidate, task)], options)[0]


def check_executed_many(
    cases: list[tuple[str, str, str]], options: AdaptOptions | None = None
) -> list[Check]:
    """V5 for several (original, candidate, task) cases in one pytest process (the bench's batch path)."""
    options = options or AdaptOptions()
    refusal = _refusal()
    if refusal:
        return [Check("V5", "executed", "fail", (refusal,)) for _ in cases]
    checks: list[Check | None] = [None] * len(cases)
    workdir = Path(tempfile.mkdtemp(prefix="mlops-adapt-v5-"))
    files: dict[str, int] = {}
    try:
        name = Path(options.path or "candidate.py").name
        for index, (original, candidate, task) in enumerate(cases):
            with progress.step(f"{name}: V5 {task}: running the original script in the sandbox"):
                expected = testgen.original_behaviour(
                    original, testgen.sandbox_repo(TASKS[task].needs_repo, original), options.timeout
                )
            if not expected.get("ok"):
                tail = (expected.get("error") or "").strip().splitlines()[-1:] or ["no output"]
                checks[index] = Check(
                    "V5",
                    "executed",
                    "skip",
                    (f"the original script does not run in the sandbox: {tail[0]}",),
                )
                continue
            script = workdir / f"candidate_{index}" / Path(options.path or "candidate.py").name
            script.parent.mkdir()
            script.write_text(candidate, encoding="utf-8")
            case_options = replace(options, path=str(script))
            test_file = workdir / f"test_case_{index}.py"
            test_file.write_text(
                testgen.generate_test(original, candidate, task, case_options, expected=expected),
                encoding="utf-8",
            )
            files[test_file.stem] = index
        if files:
            budget = len(files) * options.timeout + PYTEST_OVERHEAD
            what = f"{len(files)} adapted scripts" if len(files) > 1 else "the adapted script"
            with progress.step(f"{name}: V5: running {what} and the generated test (pytest)"):
                results = run_pytest(workdir, sorted(files), budget)
            for stem, check in results.items():
                checks[files[stem]] = check
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return [
        c or Check("V5", "executed", "fail", ("the generated test did not report",)) for c in checks
    ]


def _refusal() -> str | None:
    """Why executed verification must not run here (no isolation, no opt-in), else None.

    Running unisolated under the opt-in is said once per process on stderr.
    """
    problem = sandbox.isolation_problem()
    if problem is None:
        return None
    if not sandbox.unsafe_opted_in():
        return sandbox.refusal_message(problem)
    warning = f"mlops-adapt: WARNING: running scripts WITHOUT isolation ({problem})"
    if warning not in _SAID:
        _SAID.add(warning)
        print(warning, file=sys.stderr)
    return None


_SAID: set[str] = set()


def pytest_env(workdir: Path) -> dict[str, str]:
    """The pytest process's environment: the sandbox's allow-list and its control variables.

    Only the generated test runs here, but the script it starts inherits from it, and a process
    holding no credentials has none to leak.
    """
    env = sandbox.allowed_env()
    env.update({k: os.environ[k] for k in sandbox.CONTROL_VARS if k in os.environ})
    env["HOME"] = str(workdir)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the generated tests need no plugin; faster
    return env


def run_pytest(workdir: Path, stems: list[str], timeout: float) -> dict[str, Check]:
    """Run generated test files with pytest; one Check per file, from the junit report."""
    report = workdir / "report.xml"
    env = pytest_env(workdir)
    template = testgen.mlflow_template()
    if template:
        env["MLOPS_ADAPT_MLFLOW_TEMPLATE"] = template
    command = [
        sys.executable,
        "-m",
        "pytest",
        *[f"{stem}.py" for stem in stems],
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(workdir),
        "-o",
        "addopts=",
        "-o",
        "junit_family=xunit1",
        f"--junitxml={report}",
        "-W",
        "ignore",
    ]
    try:
        done = subprocess.run(
            command,
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        reason = f"the generated test did not finish within {timeout:g} s"
        return {stem: Check("V5", "executed", "fail", (reason,)) for stem in stems}
    per_file = _read_junit(report)
    checks: dict[str, Check] = {}
    for stem in stems:
        failures, skipped, passed = per_file.get(stem, ([], [], 0))
        if failures:
            checks[stem] = Check("V5", "executed", "fail", tuple(failures))
        elif not passed:
            tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
            checks[stem] = Check(
                "V5", "executed", "fail", ("the generated test could not run: " + " | ".join(tail),)
            )
        else:
            checks[stem] = Check("V5", "executed", "pass", tuple(f"skipped: {s}" for s in skipped))
    return checks


def _read_junit(path: Path) -> dict[str, tuple[list[str], list[str], int]]:
    """Per test module: (failure reasons 'test: message', skip reasons, passed count)."""
    if not path.is_file():
        return {}
    results: dict[str, tuple[list[str], list[str], int]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        stem = (
            (case.get("file") or case.get("classname") or "")
            .replace(".py", "")
            .split("/")[-1]
            .split(".")[-1]
        )
        failures, skipped, passed = results.setdefault(stem, ([], [], 0))
        name = case.get("name", "?").removeprefix("test_").replace("_", " ")
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        skip = case.find("skipped")
        if problem is not None:
            failures.append(f"{name}: {_first_assertion_line(problem)}")
        elif skip is not None:
            skipped.append(f"{name}: {skip.get('message', '')}")
        else:
            results[stem] = (failures, skipped, passed + 1)
    return results


def _first_assertion_line(node: ET.Element) -> str:
    """The assertion message without pytest's 'assert ...' introspection noise."""
    message = (node.get("message") or node.text or "").strip()
    message = message.removeprefix("AssertionError: ")
    lines = [line for line in message.splitlines() if line.strip()]
    kept = []
    for line in lines:
        if line.lstrip().startswith(("assert ", "+  where", "+    where", "where ")):
            break
        kept.append(line.strip())
    text = " ".join(kept) or (lines[0] if lines else "failed")
    return text[:600]
