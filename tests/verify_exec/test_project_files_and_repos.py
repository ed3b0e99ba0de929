"""Which repository files are the project's own (not data), and scripts that sit in a subfolder of a git repository."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.executed import check_executed
from mlops_adapt.verify.sandbox import find_git_root, make_sandbox, repo_subdir, run_script
from mlops_adapt.tasks.translate_gitpython_dvc.checks import PROJECT_FILE_SUFFIXES, is_project_file
from mlops_adapt.tasks.translate_gitpython_dvc.rules import original_data_paths
from mlops_adapt.verify.testgen import generate_test

CORPUS = Path(__file__).resolve().parents[2] / "bench" / "corpus" / "git"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(cwd / ".gitconfig-test")}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


# ---- is_project_file: configs are part of the project, data is not --------------------------


@pytest.mark.parametrize(
    "name",
    [
        "config.yaml",
        "conf/train.yml",
        "params.json",
        "pyproject.toml",
        "requirements.txt",
        "setup.ini",
        "setup.cfg",
        "run.sh",
        "explore.ipynb",
        "train.py",
        ".gitignore",
        ".dvc/config",
    ],
)
def test_code_and_config_files_are_part_of_the_project(name):
    assert is_project_file(name)
    assert is_project_file("./" + name)


@pytest.mark.parametrize("name", ["data.csv", "features.npy", "data/raw/events.log", "model.pkl"])
def test_data_files_are_not_project_files(name):
    assert not is_project_file(name)


def test_every_config_suffix_of_the_brief_counts():
    for suffix in (".yaml", ".yml", ".json", ".toml", ".txt", ".ini", ".cfg", ".sh", ".ipynb"):
        assert suffix in PROJECT_FILE_SUFFIXES
        assert is_project_file("settings" + suffix)


def test_a_config_suffix_the_original_versions_as_data_stays_data():
    # git_tag_versions_fn.py commits `measurements.txt` as data: .txt must not hide it.
    paths = original_data_paths((CORPUS / "git_tag_versions_fn.py").read_text())
    assert paths == ["measurements.txt"]
    assert not is_project_file("measurements.txt", paths)
    assert is_project_file("requirements.txt", paths)
    # A data folder covers what is inside it; patterns (unknown parts) match with fnmatch.
    assert not is_project_file("dataset/shard_0.txt", ["dataset"])
    assert not is_project_file("exports/day1.json", ["exports/*.json"])
    assert is_project_file("exports.json", ["exports/*.json"])


def test_data_paths_of_the_corpus_originals():
    assert original_data_paths((CORPUS / "git_version_csv.py").read_text()) == ["data.csv"]
    assert original_data_paths((CORPUS / "git_dataset_dir.py").read_text()) == ["dataset"]
    assert original_data_paths("print('no git here')\n") == []


def test_generated_translation_test_inlines_the_project_file_rule(tmp_path, monkeypatch):
    original = (CORPUS / "git_tag_versions_fn.py").read_text()
    expected = {"ok": True, "stdout": "", "git_files": ["measurements.txt", "requirements.txt"]}
    source = generate_test(
        original, original, "translate-gitpython-dvc", AdaptOptions(path="train.py"), expected=expected
    )
    assert "def is_project_file(" in source and "DATA_PATHS = ['measurements.txt']" in source
    path = tmp_path / "test_generated.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("test_generated", path)
    generated = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "test_generated", generated)  # its dataclasses look it up
    spec.loader.exec_module(generated)
    files = generated.ORIGINAL_GIT_FILES
    assert [f for f in files if not generated.is_project_file(f, generated.DATA_PATHS)] == ["measurements.txt"]


GIT_CONFIG_ORIGINAL = '''"""Commit data, the run config and the requirements with GitPython."""
from git import Repo

repo = Repo(".")
with open("data.csv", "w") as fh:
    fh.write("x,y\\n1,2\\n")
with open("config.yaml", "w") as fh:
    fh.write("lr: 0.1\\n")
with open("requirements.txt", "w") as fh:
    fh.write("scikit-learn\\n")
repo.index.add(["data.csv", "config.yaml", "requirements.txt"])
commit = repo.index.commit("data and project files")
print("committed:", commit.message)
'''

GIT_CONFIG_DVC = '''"""Commit data, the run config and the requirements with GitPython."""
import os

from dvc.repo import Repo as DvcRepo
from git import Repo

repo = Repo(".")
if not os.path.isdir(".dvc"):
    DvcRepo.init(".")
with open("data.csv", "w") as fh:
    fh.write("x,y\\n1,2\\n")
with open("config.yaml", "w") as fh:
    fh.write("lr: 0.1\\n")
with open("requirements.txt", "w") as fh:
    fh.write("scikit-learn\\n")
DvcRepo(".").add(os.path.abspath("data.csv"))
repo.index.add(["data.csv.dvc", ".gitignore", "config.yaml", "requirements.txt"])
commit = repo.index.commit("data and project files")
print("committed:", commit.message)
'''


@pytest.mark.slow
def test_config_files_stay_in_git_but_data_must_move_to_dvc():
    # The DVC translation keeps config.yaml and requirements.txt in git: that is right.
    options = AdaptOptions(timeout=180)
    good = check_executed(GIT_CONFIG_ORIGINAL, GIT_CONFIG_DVC, "translate-gitpython-dvc", options)
    assert good.status == "pass", good.reasons
    # Still committing the CSV to git is not.
    still_git = GIT_CONFIG_DVC.replace(
        'repo.index.add(["data.csv.dvc", ".gitignore", "config.yaml", "requirements.txt"])',
        'repo.index.add(["data.csv", "config.yaml", "requirements.txt"])',
    ).replace('DvcRepo(".").add(os.path.abspath("data.csv"))\n', "")
    bad = check_executed(GIT_CONFIG_ORIGINAL, still_git, "translate-gitpython-dvc", options)
    assert bad.status == "fail"
    assert any("data.csv" in r for r in bad.reasons), bad.reasons


# ---- scripts in a subfolder of a git repository ------------------------------------------------


def test_find_git_root_searches_the_parents(tmp_path):
    project = tmp_path / "project"
    (project / "src" / "jobs").mkdir(parents=True)
    _git(project, "init", "-q")
    script = project / "src" / "jobs" / "train.py"
    script.write_text("print('x')\n")
    assert find_git_root(script) == project.resolve()
    assert find_git_root(project / "src") == project.resolve()
    assert repo_subdir(script) == "src/jobs"
    top = project / "top.py"
    top.write_text("print('x')\n")
    assert repo_subdir(top) == ""


def test_a_git_file_marks_a_repository_too(tmp_path):
    # Worktrees and submodules have a `.git` file pointing at the real git dir.
    worktree = tmp_path / "wt"
    (worktree / "pkg").mkdir(parents=True)
    (worktree / ".git").write_text("gitdir: /somewhere/else/.git/worktrees/wt\n")
    assert find_git_root(worktree / "pkg" / "train.py") == worktree.resolve()
    assert repo_subdir(worktree / "pkg" / "train.py") == "pkg"


def test_no_repository_gives_none(tmp_path):
    if find_git_root(tmp_path) is not None:
        pytest.skip("the temp dir itself lies inside a git repository")
    assert find_git_root(tmp_path / "train.py") is None
    assert repo_subdir(tmp_path / "train.py") is None


def test_sandbox_keeps_the_scripts_place_in_the_repository(tmp_path):
    root, script, _env = make_sandbox("print('x')\n", repo=False, root=tmp_path / "a", script_subdir="src")
    assert script == root / "script.py"  # no repository: the subfolder does not matter
    with pytest.raises(ValueError):
        make_sandbox("print('x')\n", repo=True, root=tmp_path / "b", script_subdir="../outside")


@pytest.mark.slow
def test_script_in_a_subfolder_finds_the_sandbox_repository(tmp_path):
    source = (
        "import os\n"
        "from git import Repo\n"
        "here = os.path.dirname(os.path.abspath(__file__))\n"
        "repo = Repo(here, search_parent_directories=True)\n"
        "print(os.path.relpath(here, repo.working_tree_dir))\n"
        "print(os.path.samefile(repo.working_tree_dir, os.getcwd()))\n"
        "print('src/script.py' in repo.git.ls_files().split())\n"
    )
    run = run_script(source, timeout=120, repo=True, root=tmp_path, script_subdir="src")
    assert run.ok, run.stderr
    assert run.stdout.split() == ["src", "True", "True"]


SUBDIR_ORIGINAL = '''"""Version data with GitPython from a script in src/ that finds its repository itself."""
import os

from git import Repo

repo = Repo(os.path.dirname(os.path.abspath(__file__)), search_parent_directories=True)
root = repo.working_tree_dir
with open(os.path.join(root, "data.csv"), "w") as fh:
    fh.write("x,y\\n1,2\\n")
repo.index.add(["data.csv"])
repo.index.commit("data")
print("committed")
'''

SUBDIR_DVC = '''"""Version data with GitPython from a script in src/ that finds its repository itself."""
import os

from dvc.repo import Repo as DvcRepo
from git import Repo

repo = Repo(os.path.dirname(os.path.abspath(__file__)), search_parent_directories=True)
root = repo.working_tree_dir
if not os.path.isdir(os.path.join(root, ".dvc")):
    DvcRepo.init(root)
with open(os.path.join(root, "data.csv"), "w") as fh:
    fh.write("x,y\\n1,2\\n")
DvcRepo(root).add(os.path.join(root, "data.csv"))
repo.index.add(["data.csv.dvc", ".gitignore"])
repo.index.commit("data")
print("committed")
'''


@pytest.mark.slow
def test_emitted_translation_test_runs_a_script_kept_in_a_repo_subfolder(tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "tests").mkdir()
    _git(project, "init", "-q")
    script = project / "src" / "version_data.py"
    script.write_text(SUBDIR_DVC)
    test_source = generate_test(
        SUBDIR_ORIGINAL,
        SUBDIR_DVC,
        "translate-gitpython-dvc",
        AdaptOptions(path=str(script), timeout=180),
    )
    assert "script_subdir=repo_subdir(script)" in test_source
    (project / "tests" / "test_version_data.py").write_text(test_source)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "skipped" not in done.stdout  # the original ran too (it needs the repository as well)
