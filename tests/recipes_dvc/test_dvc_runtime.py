"""The DVC runtime helpers as plain functions, on a real git + DVC repository (runtime.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_adapt.analysis.gitpython import is_data_path

runtime = pytest.importorskip("mlops_adapt.tasks.translate_gitpython_dvc.runtime")
git = pytest.importorskip("git")


def test_data_rules_are_the_analysis_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = ["data/a.csv", "src/m.py", "train.txt", "requirements.txt", "records/r1.txt", "x.dvc"]
    for path in paths:
        assert runtime.dvc_is_data(path) == is_data_path(path), path
    monkeypatch.setattr(runtime, "DVC_DATA_GLOBS", ("records/*",))
    assert [p for p in paths if runtime.dvc_is_data(p)] == ["records/r1.txt"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A git repository with one data file and one code file, nothing staged yet."""
    for key, value in {
        "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    }.items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    (root / "data.csv").write_text("a,b\n1,2\n")
    (root / "train.py").write_text("print('train')\n")
    return git.Repo.init(root)


@pytest.mark.slow
def test_add_versions_data_with_dvc_and_code_with_git(repo) -> None:
    runtime.dvc_add(repo, ["data.csv", "train.py"])
    staged = {path for path, _ in repo.index.entries}
    assert {"data.csv.dvc", ".gitignore", "train.py", ".dvc/config"} <= staged
    assert "data.csv" not in staged
    assert (Path(repo.working_tree_dir) / ".gitignore").read_text().strip() == "/data.csv"
    repo.index.commit("v1")
    assert runtime.dvc_changes(repo) == {}
    assert not runtime.dvc_dirty(repo)


@pytest.mark.slow
def test_changed_data_shows_in_status_diff_and_old_versions(repo) -> None:
    root = Path(repo.working_tree_dir)
    runtime.dvc_add(repo, ["data.csv", "train.py"])
    repo.index.commit("v1")
    (root / "data.csv").write_text("a,b\n1,2\n3,4\n")
    assert not repo.is_dirty()  # git sees only the .dvc file, which did not change
    assert runtime.dvc_changes(repo) == {"data.csv": "modified"}
    assert runtime.dvc_dirty(repo)
    assert runtime.dvc_status_lines(repo, repo.git.status("--porcelain")) == " M data.csv"
    assert runtime.dvc_diff_names(repo, repo.git.diff("--name-only")) == "data.csv"
    assert runtime.dvc_show(repo, "HEAD:data.csv") == "a,b\n1,2"  # as `git show`, no final newline

    runtime.dvc_commit_all(repo)
    assert runtime.dvc_changes(repo) == {}
    staged = repo.git.diff("--cached", "--name-only")
    assert runtime.dvc_diff_names(repo, staged, staged=True) == "data.csv"
    repo.index.commit("v2")
    runtime.dvc_checkout_paths(repo, "HEAD~1", ["data.csv"])
    assert (root / "data.csv").read_text() == "a,b\n1,2\n"


@pytest.mark.slow
def test_remove_drops_the_data_and_its_dvc_file(repo) -> None:
    root = Path(repo.working_tree_dir)
    runtime.dvc_add(repo, ["data.csv", "train.py"])
    repo.index.commit("v1")
    runtime.dvc_remove(repo, "data.csv")
    staged = {path for path, _ in repo.index.entries}
    assert "data.csv.dvc" not in staged and "train.py" in staged
    assert not (root / "data.csv").exists()


def test_the_repository_behind_a_git_command_object(repo) -> None:
    """`g = repo.git`: GitPython's command object answers any attribute (`g.repo` is a command)."""
    assert runtime.dvc_git_repo(repo.git).working_tree_dir == repo.working_tree_dir
    assert runtime.dvc_git_repo(repo.index) is repo


@pytest.mark.slow
def test_move_renames_the_data_and_its_dvc_file_and_stages_them(repo) -> None:
    root = Path(repo.working_tree_dir)
    runtime.dvc_track(repo, ["data.csv"])
    repo.index.add(["train.py"])
    repo.index.commit("v1")
    (root / "tables").mkdir()
    assert runtime.dvc_move(repo, "data.csv", "tables") == ""
    runtime.dvc_move(repo, "train.py", "fit.py")  # code: git moves it
    staged = {path for path, _ in repo.index.entries}
    assert {"tables/data.csv.dvc", "tables/.gitignore", "fit.py"} <= staged
    assert not staged & {"data.csv.dvc", "train.py", ".gitignore"}
    assert (root / "tables" / "data.csv").read_text() == "a,b\n1,2\n" and not (root / "data.csv").exists()
    repo.index.commit("v2")
    assert not repo.is_dirty(untracked_files=True) and not runtime.dvc_dirty(repo, untracked_files=True)
    assert runtime.dvc_stats(repo.head.commit).files["tables/data.csv"]["insertions"] == 2
