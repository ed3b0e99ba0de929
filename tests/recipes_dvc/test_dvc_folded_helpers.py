"""translate-gitpython-dvc copies helpers cut to what the script reaches, and keeps git blame of code."""

from __future__ import annotations

import difflib
import textwrap
from pathlib import Path

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed
from mlops_adapt.tasks.translate_gitpython_dvc.specialize import fold_settings

TASK = "translate-gitpython-dvc"

# Paths known only at run time: every file a sensor dump left in a folder, staged with `git add -A`.
SENSOR_DUMP = """\
import os
import git

repo = git.Repo.init(".")
os.makedirs("readings", exist_ok=True)
for hour in range(3):
    with open(os.path.join("readings", f"h{hour}.parquet"), "wb") as f:
        f.write(bytes([hour]) * 64)
repo.git.add(A=True)
repo.index.commit("sensor dump")
"""


def added_lines(source: str, code: str) -> int:
    diff = difflib.unified_diff(source.splitlines(), code.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))


def translated(source: str, **options: str) -> str:
    result = adapt(source, TASK, AdaptOptions(backend="recipe", task_options=options))
    assert isinstance(result, Applied) and result.changed, result
    return result.code


def test_folding_drops_branches_of_unset_settings_and_keeps_the_rest() -> None:
    source = textwrap.dedent(
        """\
        def pick(rel):
            if GLOBS:
                return any(g == rel for g in GLOBS)
            if WHOLE and rel.endswith("/"):
                return True
            return rel.endswith(".csv") or any(rel.startswith(f) for f in FOLDERS)
        """
    )
    unset = fold_settings(source, {"GLOBS": False, "WHOLE": False, "FOLDERS": False})
    assert "GLOBS" not in unset and "WHOLE" not in unset and "FOLDERS" not in unset
    assert 'return rel.endswith(".csv")\n' in unset
    # A set glob list decides alone: what follows its `return` can never run.
    only_globs = fold_settings(source, {"GLOBS": True, "WHOLE": False, "FOLDERS": False})
    assert only_globs.strip().splitlines()[-1].strip() == "return any(g == rel for g in GLOBS)"
    namespace: dict = {"GLOBS": ("a.csv",)}
    exec(compile(only_globs, "<folded>", "exec"), namespace)  # noqa: S102 - folded test source
    assert namespace["pick"]("a.csv") and not namespace["pick"]("b.csv")


def test_run_time_paths_copy_no_unreachable_branch_and_stay_under_140_lines() -> None:
    code = translated(SENSOR_DUMP)
    assert "def dvc_add_all(" in code and "def dvc_data_in(" in code
    # No data globs and folders not tracked as a whole: those branches are not copied.
    for unreachable in ("DVC_DATA_GLOBS", "DVC_TRACK_FOLDERS", "import fnmatch", "os.walk"):
        assert unreachable not in code, unreachable
    assert "DVC_DATA_FOLDERS = ('readings',)" in code  # the folder the script fills is data: kept
    assert added_lines(SENSOR_DUMP, code) <= 140, added_lines(SENSOR_DUMP, code)


def test_explicit_data_globs_replace_the_built_in_data_rules() -> None:
    code = translated(SENSOR_DUMP, data="readings/*")
    assert "DVC_DATA_GLOBS = ('readings/*',)" in code and "import fnmatch" in code
    assert "DVC_DATA_EXTENSIONS" not in code and "DVC_TEXT_NOT_DATA_PATTERN" not in code
    assert added_lines(SENSOR_DUMP, code) <= 115, added_lines(SENSOR_DUMP, code)  # 160 before folding


BLAME = """\
import git

repo = git.Repo.init(".")
for name, text in (("clean.py", "print('clean')\\n"), ("rows.csv", "a\\n1\\n")):
    with open(name, "w") as f:
        f.write(text)
repo.index.add(["clean.py", "rows.csv"])
repo.index.commit("first")
for commit, lines in repo.blame("HEAD", {path!r}):
    print(commit.summary, len(lines))
"""


def test_blame_of_a_code_file_stays_git_blame() -> None:
    code = translated(BLAME.format(path="clean.py"))
    assert 'dvc_track(repo, ["rows.csv"])' in code and 'repo.blame("HEAD", \'clean.py\')' in code


def test_blame_of_a_data_file_is_refused_with_the_dvc_alternative() -> None:
    result = adapt(BLAME.format(path="rows.csv"), TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed), result
    assert "DVC has no blame" in " ".join(result.reasons)


@pytest.mark.slow
def test_data_in_lists_git_tracked_and_new_data_but_not_ignored_or_hidden(tmp_path: Path, monkeypatch) -> None:
    runtime = pytest.importorskip("mlops_adapt.tasks.translate_gitpython_dvc.runtime")
    git = pytest.importorskip("git")
    for key, value in {
        "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
    }.items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "proj"
    for rel in ("readings/old.parquet", "readings/new.parquet", "scratch/tmp.parquet", ".cache/x.csv", "run.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(rel.encode())
    (root / ".gitignore").write_text("scratch/\n")
    repo = git.Repo.init(root)
    repo.index.add(["readings/old.parquet", "run.py", ".gitignore"])  # data git tracked before the migration
    repo.index.commit("git held the data")
    assert runtime.dvc_data_in(repo, ".") == ["readings/new.parquet", "readings/old.parquet"]
    runtime.dvc_add_all(repo)
    repo.index.commit("dvc holds the data")
    in_git = repo.git.ls_files().splitlines()
    assert "readings/old.parquet.dvc" in in_git and "readings/new.parquet.dvc" in in_git
    assert "readings/old.parquet" not in in_git and "run.py" in in_git
    assert runtime.dvc_data_in(repo, "readings") == ["readings/new.parquet", "readings/old.parquet"]


SWITCH = """\
import git

repo = git.Repo.init(".")
with open("prices.csv", "w") as f:
    f.write("day,price\\n1,10\\n")
repo.index.add(["prices.csv"])
repo.index.commit("base")
repo.git.checkout("-b", "promo")
with open("prices.csv", "a") as f:
    f.write("2,8\\n")
repo.index.add(["prices.csv"])
repo.index.commit("promo prices")
repo.git.checkout("master")
"""


def test_union_merge_of_gitignores_is_copied_only_for_scripts_that_merge() -> None:
    switch_only = translated(SWITCH)
    assert "def dvc_checkout(" in switch_only
    assert "merge=union" not in switch_only and "DVC_MERGES" not in switch_only
    merging = SWITCH + 'repo.git.merge("promo")\n'
    assert ".gitignore merge=union" in translated(merging)
