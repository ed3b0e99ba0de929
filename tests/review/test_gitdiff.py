"""The bot's reading of real git diffs: renames, deletions, binary and non-Python files."""

from __future__ import annotations

import os

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.review.config import ReviewConfig
from mlops_adapt.review.findings import collect_edits
from mlops_adapt.review.gitdiff import (
    GitError,
    changed_files,
    merge_base,
    resolve_commit,
)

from .conftest import NOT_TRAINING, TRAIN_LONG, TRAIN_RF


@pytest.fixture
def mixed_pr(repo):
    """A base with several files and a PR that renames, deletes, adds binary and text files."""
    repo.write("README.md", "# project\n")
    repo.write("train_wine.py", TRAIN_LONG)
    repo.write("old_helpers.py", NOT_TRAINING)
    repo.write("data/table.csv", "a,b\n1,2\n")
    base = repo.commit("base")
    repo.branch("pr")
    repo.move("train_wine.py", "scripts/wine.py")
    repo.write("scripts/wine.py", TRAIN_LONG.replace("n_estimators = 30", "n_estimators = 60"))
    repo.git("rm", "-q", "old_helpers.py")
    repo.write("model.bin", bytes(range(256)) * 4)
    repo.write("binary_named.py", b"\x00\x01\x02 not python\n")
    repo.write("latin1.py", "x = 'caf\xe9'\n".encode("latin-1"))
    repo.write("notes.txt", "remember to tune\n")
    repo.write("data/table.csv", "a,b\n1,2\n3,4\n")
    repo.write("train_rf.py", TRAIN_RF)
    os.symlink("train_rf.py", repo.root / "link.py")
    head = repo.commit("pr")
    return repo, base, head


def test_changed_files_reports_every_kind_of_change(mixed_pr):
    repo, base, head = mixed_pr
    files = {f.path: f for f in changed_files(str(repo.root), base, head)}

    renamed = files["scripts/wine.py"]
    assert (renamed.status, renamed.old_path) == ("renamed", "train_wine.py")
    # Only the changed line and its 3 lines of context on each side are in the diff.
    changed_line = TRAIN_LONG.splitlines().index("n_estimators = 30") + 1
    assert renamed.right_ranges == ((changed_line - 3, changed_line + 3),)

    assert files["old_helpers.py"].status == "deleted"
    assert files["old_helpers.py"].right_ranges == ()
    assert files["model.bin"].status == "added"
    assert files["model.bin"].right_ranges == ()  # git shows no hunks for binary files
    assert files["train_rf.py"].status == "added"
    assert files["train_rf.py"].right_ranges == ((1, len(TRAIN_RF.splitlines())),)
    assert files["data/table.csv"].status == "modified"
    assert {"notes.txt", "binary_named.py", "latin1.py", "link.py"} <= set(files)
    assert "README.md" not in files


def test_only_regular_python_text_files_reach_the_engine(mixed_pr):
    repo, base, head = mixed_pr
    changed = changed_files(str(repo.root), base, head)
    edits, notes = collect_edits(str(repo.root), head, changed, ReviewConfig(), ("track-mlflow",),
                                 False, AdaptOptions(backend="recipe"))
    assert sorted(e.path for e in edits) == ["scripts/wine.py", "train_rf.py"]
    reasons = {n.path: n.reason for n in notes}
    assert reasons["binary_named.py"] == "binary or not UTF-8 text"
    assert reasons["latin1.py"] == "binary or not UTF-8 text"
    assert "symlink" in reasons["link.py"]
    for untouched in ("old_helpers.py", "model.bin", "notes.txt", "data/table.csv"):
        assert untouched not in reasons and untouched not in {e.path for e in edits}
    renamed = next(e for e in edits if e.path == "scripts/wine.py")
    assert renamed.original == TRAIN_LONG.replace("n_estimators = 30", "n_estimators = 60")
    assert renamed.tasks == ("track-mlflow",) and renamed.safety == "safe"


def test_path_globs_limit_the_review(mixed_pr):
    repo, base, head = mixed_pr
    changed = changed_files(str(repo.root), base, head)
    config = ReviewConfig(paths=("scripts/**",), exclude=())
    edits, _ = collect_edits(str(repo.root), head, changed, config, ("track-mlflow",), False,
                             AdaptOptions(backend="recipe"))
    assert [e.path for e in edits] == ["scripts/wine.py"]
    config = ReviewConfig(paths=("**/*.py",), exclude=("scripts/*",))
    edits, _ = collect_edits(str(repo.root), head, changed, config, ("track-mlflow",), False,
                             AdaptOptions(backend="recipe"))
    assert [e.path for e in edits] == ["train_rf.py"]


def test_the_diff_starts_at_the_merge_base(repo):
    """Work merged into the base after the PR forked is not part of the PR."""
    repo.write("README.md", "# project\n")
    fork = repo.commit("base")
    repo.branch("pr")
    repo.write("train_rf.py", TRAIN_RF)
    head = repo.commit("pr adds a script")
    repo.git("checkout", "-q", "main")
    repo.write("later.py", TRAIN_RF)
    base = repo.commit("main moves on")
    assert merge_base(str(repo.root), base, head) == fork
    paths = [f.path for f in changed_files(str(repo.root), merge_base(str(repo.root), base, head), head)]
    assert paths == ["train_rf.py"]


def test_unknown_refs_are_clear_errors(repo):
    repo.write("README.md", "x\n")
    repo.commit("base")
    with pytest.raises(GitError, match="unknown git ref 'no-such-branch'"):
        resolve_commit(str(repo.root), "no-such-branch")
    with pytest.raises(GitError, match="invalid ref"):
        resolve_commit(str(repo.root), "--output=/tmp/x")


def test_odd_file_names_are_read_literally(repo):
    repo.write("README.md", "x\n")
    base = repo.commit("base")
    repo.branch("pr")
    repo.write("exp ü/train [v2].py", TRAIN_RF)
    repo.write("*.py", NOT_TRAINING)
    head = repo.commit("pr")
    changed = changed_files(str(repo.root), base, head)
    assert {c.path for c in changed} == {"exp ü/train [v2].py", "*.py"}
    star = next(c for c in changed if c.path == "*.py")
    assert star.right_ranges == ((1, len(NOT_TRAINING.splitlines())),)  # not every *.py file
    edits, _ = collect_edits(str(repo.root), head, changed, ReviewConfig(), ("track-mlflow",),
                                 False, AdaptOptions(backend="recipe"))
    assert [e.path for e in edits] == ["exp ü/train [v2].py"]
    assert edits[0].original == TRAIN_RF
