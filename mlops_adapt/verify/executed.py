"""V5, executed verification: generate the task's pytest file and run it with pytest in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Check
from mlops_adapt.verify import testgen

# Seconds the pytest process may take beyond the script's own timeout (imports, reading stores).
PYTEST_OVERHEAD = 120.0


def check_executed(original: str, candidate: str, task: str, options: AdaptOptions | None = None) -> Check:
    """Run the generated test on `candidate`; pass, fail with reasons naming the problem, or skip."""
    options = options or AdaptOptions()
    repo = task in testgen.REPO_TASKS
    expected = testgen.original_behaviour(original, repo, options.timeout)
    if not expected.get("ok"):
        tail = (expected.get("error") or "").strip().splitlines()[-1:] or ["no output"]
        return Check("V5", "executed", "skip", (f"the original script does not run in the sandbox: {tail[0]}",))
    test_source = testgen.generate_test(original, candidate, task, options, expected=expected)
    workdir = Path(tempfile.mkdtemp(prefix="mlops-adapt-v5-"))
    try:
        script = workdir / Path(options.path or "candidate.py").name
        script.write_text(candidate, encoding="utf-8")
        test_file = workdir / "test_adapted.py"
        test_file.write_text(test_source, encoding="utf-8")
        outcome = run_pytest(test_file, script, options.timeout + PYTEST_OVERHEAD)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return outcome


def run_pytest(test_file: Path, script: Path, timeout: float) -> Check:
    """Run one generated test file with pytest and turn its junit report into a Check."""
    report = test_file.with_suffix(".xml")
    env = dict(os.environ)
    env["MLOPS_ADAPT_SCRIPT"] = str(script)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the generated test needs no plugin; saves start-up
    template = testgen.mlflow_template()
    if template:
        env["MLOPS_ADAPT_MLFLOW_TEMPLATE"] = template
    command = [
        sys.executable, "-m", "pytest", str(test_file), "-q", "-p", "no:cacheprovider",
        "--rootdir", str(test_file.parent), "-o", "addopts=", f"--junitxml={report}", "-W", "ignore",
    ]
    try:
        done = subprocess.run(command, cwd=test_file.parent, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return Check("V5", "executed", "fail", (f"the generated test did not finish within {timeout:g} s",))
    failures, skipped, passed = _read_junit(report)
    if failures:
        return Check("V5", "executed", "fail", tuple(failures))
    if done.returncode != 0 or not passed:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        return Check("V5", "executed", "fail", ("the generated test could not run: " + " | ".join(tail),))
    return Check("V5", "executed", "pass", tuple(f"skipped: {s}" for s in skipped))


def _read_junit(path: Path) -> tuple[list[str], list[str], int]:
    """(failure reasons 'test: message', skip reasons, passed count) from a junit XML report."""
    if not path.is_file():
        return [], [], 0
    failures: list[str] = []
    skipped: list[str] = []
    passed = 0
    for case in ET.parse(path).getroot().iter("testcase"):
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
            passed += 1
    return failures, skipped, passed


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
