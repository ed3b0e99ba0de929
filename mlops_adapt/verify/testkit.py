"""The shared part of every generated V5 test: the script run fixture, matching rules, common tests.

This is a real module (linted, type-checked) whose body testgen inlines into each generated
pytest file, after the sandbox runner and the adaptation's constants. Lines between the
`inline: drop` markers exist only to make the module importable on its own; testgen drops
them, because the generated file defines those names itself.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

# inline: drop-start
from mlops_adapt.verify.sandbox import (
    missing_output_lines,
    normalize_line,
    repo_subdir,
    run_script,
)

# The adaptation's constants: testgen writes the real values into the generated file.
TASK = ""
SCRIPT = "train.py"
EXTRA_FILES: list[str] = []
TIMEOUT = 120.0
REPO = False
MASK_NUMBERS = False
EXPECTED_STDOUT: str | None = None
ORIGINAL_ERROR: str | None = None
ORIGINAL_GIT_FILES: list[str] = []
ORIGINAL_FILES: list[str] = []
HYPERPARAMS: list[dict] = []
CTOR_HYPERPARAMS: list[dict] = []
METRICS: list[str] = []
METRIC_LABELS: dict[str, str] = {}
CV_METRICS: list[str] = []
METRIC_LABELS: dict[str, str] = {}
FLAVORS: list[str] = []
DIRECTION: str | None = None
TRAINS_WITH_OPTIMIZER = False
# inline: drop-end


def _script_path() -> Path:
    override = os.environ.get("MLOPS_ADAPT_SCRIPT")
    if override:
        return Path(override)
    candidate = Path(SCRIPT)
    if candidate.is_absolute():
        return candidate
    for base in [Path.cwd(), *Path(__file__).resolve().parents]:
        if (base / candidate).is_file():
            return base / candidate
    return Path.cwd() / candidate


@pytest.fixture(scope="module")
def run():
    script = _script_path()
    extra = {name: (script.parent / name).read_bytes() for name in EXTRA_FILES if (script.parent / name).is_file()}
    result = run_script(
        script.read_text(encoding="utf-8"), timeout=TIMEOUT, extra_files=extra, repo=REPO,
        mlflow_template=os.environ.get("MLOPS_ADAPT_MLFLOW_TEMPLATE"), import_paths=[str(script.parent)],
        # In a git repository the script keeps its place in the sandbox repository (e.g. src/).
        script_subdir=repo_subdir(script) if REPO else None,
    )
    yield result
    if not os.environ.get("MLOPS_ADAPT_KEEP_SANDBOX"):
        shutil.rmtree(result.root, ignore_errors=True)


def _norm_key(text) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def key_logged(name, keys) -> bool:
    """NAME rule: equal ignoring case/separators, or a logged key ending in /name, .name or __name
    (`model/lr`, `optimizer.lr`, sklearn's `svc__C`)."""
    want = _norm_key(name)
    for key in keys:
        if _norm_key(key) == want or re.split(r"[/.]|__", str(key))[-1].lower() == str(name).lower():
            return True
    return False


def value_logged(value, values) -> bool:
    """VALUE rule: a logged value equal to the literal default (as text or as a number)."""
    if value is None or isinstance(value, bool):
        return False
    for logged in values:
        if str(logged) == str(value):
            return True
        try:
            if float(logged) == float(value):
                return True
        except (TypeError, ValueError):
            continue
    return False


def metric_logged(name, keys) -> bool:
    """A key naming the metric (contained either way); a training-set key never stands for another result."""
    want = _norm_key(name)

    def fits(key) -> bool:
        have = _norm_key(key)
        if "train" in have and "train" not in want:
            return False  # `training_accuracy_score` is not the test accuracy the script reports
        return bool(want and have and (want in have or have in want))

    return any(fits(k) for k in keys)


def _close(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-9 + 1e-6 * abs(b)


def cv_result_logged(run, values, series) -> bool:
    """VALUE rule for a cross-validation result: a logged value equals the mean or std of the fold
    scores the script computed (observed in the sandbox), or one logged series holds every fold
    score. `values` are the logged numbers, `series` the lists logged under one key each."""
    import statistics

    folds = [
        list(scores)
        for event in run.observations
        if event.get("event") == "cv_scores"
        for scores in event.get("scores", {}).values()
        if scores
    ]
    for scores in folds:
        targets = [statistics.fmean(scores), statistics.pstdev(scores)]
        if any(_close(v, t) for v in values for t in targets):
            return True
        for logged in series:
            if all(any(_close(v, s) for v in logged) for s in scores):
                return True
    return False


def unlogged_cv(lost, run, values, series) -> list:
    """The CV metrics (`scores_mean`, `scores_std`) are one result: if any of them is logged by
    name, or the result is logged by value (cv_result_logged), none of them is missing."""
    cv_lost = [m for m in lost if m in CV_METRICS]
    if not cv_lost:
        return lost
    if len(cv_lost) < len(CV_METRICS) or cv_result_logged(run, values, series):
        return [m for m in lost if m not in CV_METRICS]
    return lost


def missing_hyperparams(params: dict) -> list:
    """Hyperparameters found neither by name nor by value; constructor literals count only if nothing else exists."""
    def found(hp):
        return key_logged(hp["name"], params) or value_logged(hp["value"], params.values())

    if HYPERPARAMS:
        return [hp["name"] for hp in HYPERPARAMS if not found(hp)]
    if CTOR_HYPERPARAMS and not any(found(hp) for hp in CTOR_HYPERPARAMS):
        return [hp["name"] for hp in CTOR_HYPERPARAMS]
    return []


def extra_output_lines(stdout: str) -> list:
    """Lines the adapted script printed beyond the original's output."""
    have = [line.rstrip() for line in stdout.splitlines() if line.strip()]
    want = [normalize_line(x) for x in (EXPECTED_STDOUT or "").splitlines() if x.strip()]
    extra = []
    for line in have:
        if want and normalize_line(line) == want[0]:
            want.pop(0)
        else:
            extra.append(line)
    return extra


def test_script_exits_cleanly(run):
    if ORIGINAL_ERROR is not None:
        pytest.skip("the original script did not run in the sandbox either: " + ORIGINAL_ERROR[-300:])
    assert not run.timed_out, f"the script timed out after {TIMEOUT:g} s"
    assert run.returncode == 0, f"the script exited with code {run.returncode}: {run.error_summary()}"


def test_prints_what_the_original_printed(run):
    if EXPECTED_STDOUT is None:
        pytest.skip("the original's output is unknown")
    missing = missing_output_lines(EXPECTED_STDOUT, run.stdout, MASK_NUMBERS)
    assert not missing, (
        f"the output lost or changed {len(missing)} line(s) the original printed, first: {missing[0]!r}"
    )


# Folders the backends and tools write into; what the script itself writes is everything else.
TOOL_STORES = ("mlruns", "mlartifacts", "wandb", ".git", ".dvc", "__pycache__", ".mlflow", "artifacts")


def _git_store(folder: Path) -> bool:
    """A git directory (`.git`, or a bare repository the script made): git's own files, whose
    object names depend on content the adapted script may store elsewhere (DVC)."""
    return folder.name in (".git", ".dvc") or (
        (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir()
    )


def written_files(workdir) -> list:
    """Files a run left in its working directory, relative paths, tool stores excluded (also the
    git directories of repositories the script made below it: clones, bare remotes)."""
    root = Path(workdir)
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in TOOL_STORES or path.name.endswith((".db", ".dvc")):
            continue
        if _in_git_store(root, relative.as_posix()):
            continue
        found.append(relative.as_posix())
    return sorted(found)


def _in_git_store(root: Path, name: str) -> bool:
    """Whether the relative path `name` lies in a git directory below `root` (see _git_store)."""
    parts = Path(name).parts
    return any(_git_store(root.joinpath(*parts[:depth])) for depth in range(1, len(parts)))


def test_writes_the_files_the_original_wrote(run):
    if ORIGINAL_ERROR is not None:
        pytest.skip("the original script did not run in the sandbox either: " + ORIGINAL_ERROR[-300:])
    lost = [
        name for name in ORIGINAL_FILES
        if not (Path(run.workdir) / name).is_file() and not _in_git_store(Path(run.workdir), name)
    ]
    assert not lost, f"the adapted script no longer writes {len(lost)} file(s) the original wrote: {lost[:5]}"


_NUMBER_TOKEN = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _matches_printed(value, token: str) -> bool:
    """Does a logged number read as this printed token (at its precision, or as a percentage)?"""
    try:
        printed, logged = float(token), float(value)
    except (TypeError, ValueError):
        return False
    decimals = len(token.split(".")[1]) if "." in token and "e" not in token.lower() else 0
    slack = 0.5 * 10 ** -decimals + 1e-9 + 1e-6 * abs(printed)
    return abs(logged - printed) <= slack or abs(logged * 100 - printed) <= slack


def metric_logged_by_value(metric, values, stdout: str) -> bool:
    """VALUE rule for a result logged under another name: a logged number reads as the decimal the
    script prints after the metric's own label (`balanced accuracy: 0.9333` for `score`)."""
    label = METRIC_LABELS.get(metric) or str(metric).replace("_", " ")
    lines = [line for line in stdout.lower().splitlines() if label and label in re.sub(r"[^a-z ]", " ", line)]
    tokens = [t for line in lines for t in _NUMBER_TOKEN.findall(line) if "." in t]
    return any(_matches_printed(v, t) for v in values for t in tokens)


def value_mismatches(series: dict, stdout: str) -> list:
    """Logged metrics whose values the script never reports: `test_loss` logged as 0.0 while it prints 0.3512.

    A key is judged only where the output speaks of it: lines naming every word of the key that
    carry numbers, and at most as many logged values as such lines (a per-batch series printed
    per epoch cannot be compared). It fails when none of its values reads as any of those numbers.
    """
    lines = [line.lower() for line in stdout.splitlines()]
    problems = []
    for key, values in series.items():
        words = [w for w in re.split(r"[^0-9a-z]+", str(key).lower()) if len(w) > 1 and not w.isdigit()]
        if not words or not values:
            continue
        speaking = [line for line in lines if all(w in line for w in words) and _NUMBER_TOKEN.search(line)]
        if not speaking or len(values) > len(speaking):
            continue
        tokens = [t for line in speaking for t in _NUMBER_TOKEN.findall(line)]
        if not any(_matches_printed(v, t) for v in values for t in tokens):
            problems.append(f"`{key}` logged as {values[-1]!r}, but the script reports {speaking[-1].strip()[:80]!r}")
    return problems
