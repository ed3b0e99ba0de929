"""The benchmark harness: pass@k, the corpus and verifier cases on disk, and a small real bench run."""

import ast
import json
import subprocess
import sys
from math import comb
from pathlib import Path

import pytest

from mlops_adapt.bench.accuracy import format_table, run_accuracy_bench
from mlops_adapt.bench.corpus import load_corpus, load_verifier_cases
from mlops_adapt.bench.passk import pass_at_k
from mlops_adapt.tasks import TASKS

ROOT = Path(__file__).resolve().parents[2]


def test_pass_at_k_unbiased_estimator():
    assert pass_at_k(5, 1, 1) == pytest.approx(0.2)
    assert pass_at_k(10, 3, 3) == pytest.approx(1 - comb(7, 3) / comb(10, 3))
    assert pass_at_k(5, 0, 3) == 0.0 and pass_at_k(5, 5, 1) == 1.0
    assert pass_at_k(1, 1, 3) == 1.0 and pass_at_k(1, 0, 3) == 0.0  # one deterministic sample


def test_corpus_has_enough_varied_scripts_with_valid_tasks():
    scripts = load_corpus()
    ml = [s for s in scripts if s.name.startswith("ml/")]
    git = [s for s in scripts if s.name.startswith("git/")]
    assert len(ml) >= 30 and len(git) >= 6
    assert {t for s in scripts for t in s.tasks} == set(TASKS)
    for script in scripts:
        ast.parse(script.source())
    assert all(s.tasks == ("translate-gitpython-dvc",) for s in git)
    assert {"sklearn", "torch", "numpy"} <= {imp for s in ml for imp in _imports(s.source())}


def _imports(source):
    return {
        n.names[0].name.split(".")[0]
        if isinstance(n, ast.Import)
        else (n.module or "").split(".")[0]
        for n in ast.walk(ast.parse(source))
        if isinstance(n, (ast.Import, ast.ImportFrom))
    }


def test_verifier_cases_are_complete():
    cases = load_verifier_cases()
    bad = [c for c in cases if c.expect == "reject"]
    good = [c for c in cases if c.expect == "accept"]
    assert len(bad) >= 25 and len(good) >= 25
    for case in cases:
        assert case.task in TASKS and case.original.is_file()
        ast.parse(case.candidate.read_text())
    assert all(c.reason for c in bad)
    assert len({c.candidate.read_text() for c in cases}) == len(
        cases
    )  # every bad differs from its good


def test_foreign_verifier_set_is_complete_and_separate():
    foreign = load_verifier_cases(which="foreign")
    own = load_verifier_cases()
    bad = [c for c in foreign if c.expect == "reject"]
    good = [c for c in foreign if c.expect == "accept"]
    assert len(good) >= 40 and len(bad) >= 20
    assert {c.task for c in good} == set(TASKS)
    assert all(c.set == "foreign" for c in foreign) and all(c.set == "own" for c in own)
    assert [c.id for c in load_verifier_cases(which="all")] == [c.id for c in own + foreign]
    for case in foreign:
        assert case.original.is_file() and "foreign" in case.original.parts
        ast.parse(case.candidate.read_text())
    assert all(c.reason for c in bad)
    assert len({c.candidate.read_text() for c in foreign}) == len(foreign)
    with pytest.raises(ValueError, match="unknown verifier set"):
        load_verifier_cases(which="theirs")


def test_static_verifier_bench_reports_each_set(tmp_path):
    report = tmp_path / "verifier.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_adapt.bench.cli",
            "--verifier",
            "--static",
            "--jobs",
            "1",
            "--match",
            "iris_rf",
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(report.read_text())
    assert data["set"] == "all" and set(data["by_set"]) == {"foreign"}
    by_task = data["by_task"]["foreign"]
    assert set(by_task) == {"track-mlflow", "track-wandb", "hpo-optuna", "register-mlflow"}
    rows = by_task.values()
    assert sum(r["good_cases"] + r["bad_cases"] for r in rows) == len(data["results"])
    assert "set foreign:" in done.stdout and "register-mlflow" in done.stdout


def test_unknown_task_is_a_usage_error():
    done = subprocess.run(
        [sys.executable, "-m", "mlops_adapt.bench.cli", "--tasks", "track-nothing"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 2 and "unknown task" in done.stdout


def test_static_bench_cli_writes_json(tmp_path):
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_adapt.bench.cli",
            "--match",
            "np_",
            "--tasks",
            "track-mlflow",
            "--static",
            "--jobs",
            "1",
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(report.read_text())
    assert data["checks"] == "V1-V4" and [r["task"] for r in data["tasks"]] == ["track-mlflow"]
    assert data["tasks"][0]["cases"] == 4
    assert "experiment tracking" in done.stdout and "| track-mlflow | 4 |" in done.stdout


@pytest.mark.slow
def test_executed_bench_on_a_small_subset():
    report = run_accuracy_bench(tasks=["track-mlflow", "track-wandb"], match="sk_flat_rf", jobs=1)
    rows = {r["task"]: r for r in report["tasks"]}
    assert set(rows) == {"track-mlflow", "track-wandb"}
    assert report["checks"] == "V1-V5" and report["cases"] == 2
    for row in rows.values():
        assert row["cases"] == 1 and row["pass@1"] == 100.0, row["failed_cases"]
    assert "WizardCoder" in format_table(report)


def test_holdout_corpus_is_a_separate_corpus_with_its_own_tasks():
    holdout = load_corpus(corpus="holdout")
    main = {s.name for s in load_corpus()}
    ml = [s for s in holdout if s.name.startswith("ml/")]
    git = [s for s in holdout if s.name.startswith("git/")]
    assert len(ml) >= 6 and len(git) >= 4
    assert not main & {s.name for s in holdout} and all(s.path.parent.parent.name == "holdout" for s in holdout)
    assert all(s.tasks == ("translate-gitpython-dvc",) for s in git)
    for script in holdout:
        ast.parse(script.source())
        assert set(script.tasks) <= set(TASKS)
    torch = [s for s in ml if "torch" in _imports(s.source())]
    assert len(torch) >= 6 and all({"optimize-prune", "optimize-quantize"} <= set(s.tasks) for s in torch)
    # The same folder, named by path or by its tasks.json.
    folder = ROOT / "bench" / "corpus" / "holdout"
    assert [s.name for s in load_corpus(corpus=folder / "tasks.json")] == [s.name for s in holdout]


def test_unknown_corpus_folder_is_a_usage_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_corpus(corpus=tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "mlops_adapt.bench.cli", "--corpus", str(tmp_path), "--static"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "tasks.json" in done.stdout


def test_static_bench_on_the_holdout_corpus(tmp_path):
    report = run_accuracy_bench(
        tasks=["translate-gitpython-dvc"], corpus="holdout", match="git_csv", jobs=1, execute=False,
        json_path=str(tmp_path / "r.json"),
    )
    assert report["corpus"].endswith("holdout") and report["cases"] == 1
    assert report["tasks"][0]["pass@1"] == 100.0, report["tasks"][0]["failed_cases"]
    assert "corpus=" in format_table(report)
