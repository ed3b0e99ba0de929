"""Executed tests of translate-gitpython-dvc: original and translated scripts run in real git + DVC repos."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

git = pytest.importorskip("git")

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed, Skipped

TASK = "translate-gitpython-dvc"
SCRIPTS = Path(__file__).parent / "scripts"
# Options a script needs (its data would not be found by the heuristics alone).
OPTIONS = {"glob_option_records.py": {"data": "records/*"}}
# Where a script puts its repository, relative to the directory it runs in.
REPO_DIR = {
    "push_local_remote.py": "work", "tempdir_absolute_paths.py": "elsewhere/project", "server_mirror_roundtrip.py": "work",
}


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "DVC_"))}
    env.update(
        HOME=str(home),
        GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.com",
        GIT_CONFIG_NOSYSTEM="1", DVC_NO_ANALYTICS="1", DVC_NO_UPDATER="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _start(source: str, workdir: Path, home: Path) -> subprocess.Popen:
    """Start a script in its own fresh directory (the original and its translation run side by side)."""
    workdir.mkdir(parents=True)
    script = workdir.parent / f"{workdir.name}_script.py"
    script.write_text(source)
    return subprocess.Popen(
        [sys.executable, str(script)], cwd=workdir, env=_env(home),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _finish(process: subprocess.Popen) -> subprocess.CompletedProcess:
    stdout, stderr = process.communicate(timeout=180)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def translate(name: str) -> str:
    source = (SCRIPTS / name).read_text()
    options = AdaptOptions(backend="recipe", task_options=OPTIONS.get(name, {}), path=name)
    result = adapt(source, TASK, options)
    assert isinstance(result, Applied), f"{name}: {result}"
    assert result.report.ok
    return result.code


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in SCRIPTS.glob("*.py")))
def test_translated_script_behaves_the_same_and_versions_data_with_dvc(name: str, tmp_path: Path) -> None:
    translated = translate(name)
    original = _start((SCRIPTS / name).read_text(), tmp_path / "original", tmp_path)
    translation = _start(translated, tmp_path / "translated", tmp_path)
    original_run, translated_run = _finish(original), _finish(translation)
    assert original_run.returncode == 0, original_run.stderr
    assert translated_run.returncode == 0, translated_run.stderr[-3000:]
    assert translated_run.stdout == original_run.stdout

    repo = tmp_path / "translated" / REPO_DIR.get(name, ".")
    tracked = _git(repo, "ls-files").split()
    dvc_files = [p for p in tracked if p.endswith(".dvc")]
    assert dvc_files, tracked
    assert ".dvc/config" in tracked
    committed = _git(repo, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert set(dvc_files) <= set(committed)
    # No raw data in git: every path DVC tracks is out of git's index.
    outs = [p[: -len(".dvc")] for p in dvc_files]
    assert not [p for p in tracked if any(p == o or p.startswith(o + "/") for o in outs)]
    cache = repo / ".dvc" / "cache"
    assert any(f.is_file() for f in cache.rglob("*"))
    # The original really kept that data in git, so the translation moved it.
    original_repo = tmp_path / "original" / REPO_DIR.get(name, ".")
    assert set(outs) & set(_git(original_repo, "ls-files").split()) or any(
        p.startswith(tuple(o + "/" for o in outs)) for p in _git(original_repo, "ls-files").split()
    )


def test_code_only_script_is_skipped() -> None:
    source = "import git\nrepo = git.Repo.init('.')\nrepo.index.add(['train.py'])\nrepo.index.commit('c')\n"
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Skipped)
    assert "data" in result.reason


def test_translation_is_idempotent() -> None:
    once = translate("data_dir_mixed_add.py")
    again = adapt(once, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(again, Skipped) and "DVC" in again.reason


def test_data_option_overrides_heuristics() -> None:
    source = "import git\nrepo = git.Repo('.')\nrepo.index.add(['records/a.txt', 'b.csv'])\n"
    result = adapt(source, TASK, AdaptOptions(backend="recipe", task_options={"data": "records/*"}))
    assert isinstance(result, Applied)
    assert "dvc_track(repo, ['records/a.txt'])" in result.code
    assert "repo.index.add(['b.csv'])" in result.code


def test_push_inside_condition_is_refused() -> None:
    source = (
        "import git\nrepo = git.Repo('.')\nrepo.index.add(['data.csv'])\n"
        "if repo.remote('origin').push():\n    print('ok')\n"
    )
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed) and result.kind == "unverified"
    assert "push" in " ".join(result.reasons)


def test_postconditions_reject_a_candidate_that_keeps_data_in_git() -> None:
    from mlops_adapt.verify.pipeline import verify_candidate

    original = (SCRIPTS / "data_dir_mixed_add.py").read_text()
    candidate = "import dvc.api\n" + original
    report = verify_candidate(original, candidate, TASK, AdaptOptions())
    assert not report.ok
    assert any("still versions data with git" in f for f in report.failures)


PATHS = [
    "data/train.csv", "features.npy", "model.pkl", "images/cat.png", "train_data/a.txt", "train.txt",
    "labels.json", "data.json", "train_config.json", "config.yaml", "requirements.txt", "README.md",
    "src/model.py", "data/make_dataset.py", "raw/blob.bin", "notes.txt", "records/r1.txt", "x.tar.gz",
    "data.csv.dvc", ".gitignore", "data/", "vocab/words.txt", "requirements-dev.txt", "LICENSE.txt",
    "chunks/c1.csv", "chunks/", "chunks/readme.md", "chunks/index.json",
]


@pytest.mark.parametrize(("globs", "folders"), [((), ()), (("records/*",), ()), ((), ("chunks",))])
def test_generated_runtime_rules_agree_with_the_static_analysis(globs: tuple[str, ...], folders: tuple[str, ...]) -> None:
    """The data test the translated script runs must match the one the recipe used."""
    import fnmatch
    import logging
    import re

    from mlops_adapt.analysis.gitpython import is_data_path
    from mlops_adapt.tasks.translate_gitpython_dvc.recipe import helper_source

    source, _ = helper_source({"dvc_is_data"}, globs, data_folders=folders)
    namespace: dict = {"os": os, "re": re, "fnmatch": fnmatch, "logging": logging}
    exec(compile(source, "<helpers>", "exec"), namespace)  # noqa: S102 - the recipe's own generated code
    for path in PATHS:
        assert namespace["dvc_is_data"](path) == is_data_path(path, globs, folders), path


def test_folders_the_script_fills_with_data_are_data() -> None:
    from mlops_adapt.analysis.cache import parsed
    from mlops_adapt.analysis.gitpython import data_folders

    source = (SCRIPTS / "plain_folder_written_by_script.py").read_text()
    assert data_folders(parsed(source)) == ("chunks",)
    assert data_folders(parsed(source), ("records/*",)) == ()  # explicit globs decide alone
    code = translate("plain_folder_written_by_script.py")
    # Listed, so tracked as a whole: the folder known statically goes to DVC as it is.
    assert 'dvc_track(repo, "chunks")' in code and "DVC_DATA_FOLDERS = ('chunks',)" in code


def test_a_trailing_comment_stays_with_its_statement() -> None:
    source = (
        "import git\nrepo = git.Repo('.')\nrepo.index.add(['data.csv'])\n"
        "repo.remote('origin').push()  # publish\n"
    )
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied)
    assert "repo.remote('origin').push()  # publish\ndvc_push(repo)\n" in result.code


# Scripts that can run twice in one folder (their repository and tags survive a second run).
RERUNNABLE = ["migrate_committed_then_update.py", "add_all_commit_am.py", "text_word_list.py", "untracked_and_diff.py"]


@pytest.mark.slow
@pytest.mark.parametrize("name", RERUNNABLE)
def test_translation_migrates_a_repository_whose_data_git_already_tracks(name: str, tmp_path: Path) -> None:
    """The usual migration: the original ran before, so git holds the data; then the translation runs there."""
    source = (SCRIPTS / name).read_text()
    translated = translate(name)
    twice = tmp_path / "twice"
    _finish(_start(source, twice, tmp_path))
    second = subprocess.run([sys.executable, str(tmp_path / "twice_script.py")], cwd=twice, env=_env(tmp_path),
                            capture_output=True, text=True, timeout=180, check=False)
    assert second.returncode == 0, second.stderr
    migrated = tmp_path / "migrated"
    _finish(_start(source, migrated, tmp_path))
    in_git_before = set(_git(migrated, "ls-files").split())
    script = tmp_path / "migrated_translation.py"
    script.write_text(translated)
    run = subprocess.run([sys.executable, str(script)], cwd=migrated, env=_env(tmp_path),
                         capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == second.stdout  # as the original's second run printed
    tracked = _git(migrated, "ls-files").split()
    outs = [p[: -len(".dvc")] for p in tracked if p.endswith(".dvc")]
    assert outs and set(outs) & in_git_before  # data git held before is DVC's now
    assert not [p for p in tracked if any(p == o or p.startswith(o + "/") for o in outs)]
    assert not _git(migrated, "status", "--porcelain", "--", *[o + ".dvc" for o in outs])


def test_diff_pull_and_update_add_are_translated() -> None:
    source = (
        "import git\nrepo = git.Repo('.')\nrepo.index.add(['data.csv'])\n"
        "print(repo.git.diff(None, name_only=True))\nrepo.git.add(update=True)\n"
        "repo.index.commit('c')\nrepo.remotes.origin.pull()\n"
    )
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    assert "print(dvc_diff_names(repo, repo.git.diff(None, name_only=True)))" in result.code
    assert "dvc_commit_all(repo)\nrepo.git.add(update=True)" in result.code
    assert "repo.remotes.origin.pull()\ndvc_pull(repo)" in result.code
    assert "dvc_track(repo, ['data.csv'])" in result.code


def test_one_data_file_add_stays_short() -> None:
    """One `index.add` of a known data file brings a short helper, not the run-time path sorting."""
    source = "import git\nrepo = git.Repo.init('.')\nrepo.index.add(['data.csv'])\nrepo.index.commit('c')\n"
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied)
    added = len(result.code.splitlines()) - len(source.splitlines())
    assert added <= 45, added
    assert "def dvc_is_data" not in result.code


def test_rules_reject_an_untranslated_pull_and_update_add() -> None:
    from mlops_adapt.verify.pipeline import verify_candidate

    original = (
        "import git\nrepo = git.Repo('.')\nrepo.index.add(['data.csv'])\nrepo.index.commit('c')\n"
        "repo.remotes.origin.pull()\nrepo.git.add(update=True)\n"
    )
    candidate = (
        "import git\nimport dvc.repo\nrepo = git.Repo('.')\ndvc.repo.Repo('.').add('data.csv')\n"
        "repo.index.add(['data.csv.dvc', '.gitignore'])\nrepo.index.commit('c')\n"
        "repo.remotes.origin.pull()\nrepo.git.add(update=True)\n"
    )
    report = verify_candidate(original, candidate, TASK, AdaptOptions())
    reasons = " ".join(report.failures)
    assert not report.ok
    assert "git pull is not followed by a DVC pull" in reasons
    assert "`git add -u` stages no changed DVC-tracked data" in reasons
    assert "git rm --cached" in reasons  # recommended: the migration case
    assert isinstance(adapt(original, TASK, AdaptOptions(backend="recipe")), Applied)


@pytest.mark.parametrize(
    ("call", "why"),
    [
        ("repo.git.stash('push', '-u')", "stash"), ("repo.git.stash('push', '--', 'a.csv')", "stash"),
        ("print(repo.head.commit.diff(None))", "work tree"), ("print(repo.git.diff('HEAD~1', '--stat'))", "work tree"),
        ("repo.git.mv('-f', 'data.csv', 'b.csv')", "options"),
    ],
)
def test_shapes_git_sees_but_dvc_cannot_are_refused(call: str, why: str) -> None:
    source = f"import git\nrepo = git.Repo('.')\nrepo.index.add(['data.csv'])\nrepo.index.commit('c')\n{call}\n"
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed), result
    assert why in " ".join(result.reasons)


def test_stash_mv_and_stats_of_data_are_translated() -> None:
    """`git stash` saves changed data in DVC's cache and its .dvc file in the stash; `git mv` of data
    is `dvc move`; `commit.stats` counts the lines of the data; a known history path is its .dvc file."""
    source = (
        "import git\nrepo = git.Repo.init('.')\nrepo.index.add(['data.csv'])\nrepo.index.commit('c')\n"
        "repo.git.stash('push', '-m', 'try')\nprint(repo.git.stash('list'))\nrepo.git.stash('pop')\n"
        "repo.git.mv('data.csv', 'rows.csv')\nrepo.git.mv('a.py', 'b.py')\n"
        "for c in repo.iter_commits(paths='rows.csv'):\n    print(c.stats.total)\n"
    )
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    code = result.code
    assert "dvc_commit_all(repo)\nrepo.git.stash('push', '-m', 'try')\ndvc_checkout(repo, force=True)\n" in code
    assert "print(repo.git.stash('list'))\nrepo.git.stash('pop')\ndvc_checkout(repo)\n" in code
    assert "dvc_move(repo, 'data.csv', 'rows.csv')\nrepo.git.mv('a.py', 'b.py')\n" in code
    assert "repo.iter_commits(paths='rows.csv.dvc')" in code
    assert "print(dvc_stats(c).total)" in code


def test_checkouts_resets_clones_and_old_trees_are_translated() -> None:
    source = (
        "import git\nrepo = git.Repo.init('.')\nrepo.index.add(['data.csv'])\nrepo.index.commit('c')\n"
        "exp = repo.create_head('exp')\nexp.checkout()\nrepo.head.reset('HEAD~1', index=True, working_tree=True)\n"
        "repo.git.reset('--soft', 'HEAD~1')\ncopy = git.Repo.clone_from('.', 'copy')\n"
        "print(repo.commit('v1').diff('v2'), repo.git.diff('v1', 'v2', '--stat'), repo.head.commit.tree / 'data')\n"
        "print(df.diff(), len(repo.tree('v1').blobs))\n"
    )
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    code = result.code
    assert "exp.checkout()\ndvc_checkout(exp)\n" in code
    assert "repo.head.reset('HEAD~1', index=True, working_tree=True)\ndvc_checkout(repo, force=True)\n" in code
    assert "repo.git.reset('--soft', 'HEAD~1')\ncopy" in code  # a soft reset leaves the work tree alone
    assert "copy = dvc_cloned(git.Repo.clone_from('.', 'copy'))" in code
    assert "dvc_tree(repo.commit('v1')).diff(dvc_tree(repo.commit('v1'), 'v2'))" in code
    assert "dvc_git_diff(repo, 'v1', 'v2', '--stat')" in code
    assert "dvc_tree(repo.head.commit) / 'data'" in code
    assert "print(df.diff(), len(dvc_tree(repo, 'v1').blobs))" in code  # pandas' diff is not git's


@pytest.mark.slow
def test_pushed_data_reaches_a_clone_through_a_dvc_remote_inside_the_bare_repository(tmp_path: Path) -> None:
    run = _finish(_start(translate("server_mirror_roundtrip.py"), tmp_path / "run", tmp_path))
    assert run.returncode == 0, run.stderr[-3000:]
    server, mirror = tmp_path / "run" / "server.git", tmp_path / "run" / "mirror"
    assert "vocab.pkl.dvc" in _git(server, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert "vocab.pkl" not in _git(server, "ls-tree", "-r", "--name-only", "HEAD").split()
    stored = [f for f in (server / "dvc-storage").rglob("*") if f.is_file()]
    assert len(stored) == 2  # both versions were pushed
    assert "dvc-storage" in (mirror / ".dvc" / "config.local").read_text()  # not committed
    assert not _git(tmp_path / "run" / "work", "status", "--porcelain")


def test_files_inside_git_directories_of_nested_repositories_are_not_the_scripts_output(tmp_path: Path) -> None:
    from mlops_adapt.verify.testkit import written_files

    git.Repo.init(tmp_path / "server.git", bare=True)
    git.Repo.init(tmp_path / "clone")
    (tmp_path / "clone" / "data.csv").write_text("a\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "HEAD").write_text("not a repository\n")
    assert written_files(tmp_path) == ["clone/data.csv", "notes/HEAD"]
