"""translate-gitpython-dvc stays short: only the helpers a script uses, each copied compactly."""

from __future__ import annotations

import difflib

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.tasks.translate_gitpython_dvc.recipe import HELPERS

TASK = "translate-gitpython-dvc"

# A typical data-versioning script: known data files added, tagged, an old version read back.
TYPICAL = """\
import git

repo = git.Repo.init(".")
for version in (1, 2):
    with open("scores.csv", "w") as f:
        f.write("id,score\\n" + "".join(f"{i},{i * version}\\n" for i in range(4)))
    repo.index.add(["scores.csv", "train.py"])
    repo.index.commit(f"scores v{version}")
    repo.create_tag(f"v{version}")
print(repo.git.show("v1:scores.csv"))
"""
PUSH = "if repo.remotes:\n    repo.remote(\"origin\").push()\n"

# Paths known only when the script runs: every file of a folder, sorted into data and code then.
RUN_TIME_PATHS = """\
import os
import git

repo = git.Repo.init(".")
os.makedirs("exports", exist_ok=True)
for name in ("a.parquet", "b.parquet", "README.md"):
    open(os.path.join("exports", name), "w").write(name)
repo.index.add([os.path.join("exports", n) for n in sorted(os.listdir("exports"))])
repo.index.commit("exports")
"""


def added_lines(source: str, code: str) -> int:
    diff = difflib.unified_diff(source.splitlines(), code.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))


def translated(source: str) -> str:
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied) and result.changed, result
    return result.code


def test_a_typical_script_gains_at_most_60_lines() -> None:
    code = translated(TYPICAL)
    assert added_lines(TYPICAL, code) <= 60, code
    # Known data files need no run-time sorting of paths into data and code.
    assert "def dvc_is_data" not in code and "DVC_DATA_EXTENSIONS" not in code


def test_a_push_adds_the_dvc_push_and_its_remote_and_stays_under_100_lines() -> None:
    code = translated(TYPICAL + PUSH)
    assert "dvc_push(repo)" in code
    assert added_lines(TYPICAL + PUSH, code) <= 100


def test_run_time_paths_bring_the_sorting_helpers_and_stay_under_160_lines() -> None:
    code = translated(RUN_TIME_PATHS)
    assert "def dvc_is_data" in code
    assert added_lines(RUN_TIME_PATHS, code) <= 160, added_lines(RUN_TIME_PATHS, code)


def test_only_the_helpers_the_script_calls_are_copied() -> None:
    code = translated(TYPICAL)
    defined = {name for name in HELPERS.names if f"def {name}(" in code}
    # Every helper gets `repo`, a git.Repo: dvc_git_repo (which finds the repo of an index,
    # command or commit) folds away, and the helpers take `repo` itself.
    assert defined == set(HELPERS.closure({"dvc_track", "dvc_read"})) - {"dvc_git_repo"}
    assert "def dvc_track(repo, paths):" in code and "index = repo.index\n" in code
    assert "def dvc_tree(" not in code and "def dvc_checkout(" not in code


@pytest.mark.parametrize("holder", ["index = repo.index\nindex", "g = repo.git\ng"])
def test_dvc_git_repo_stays_when_a_helper_gets_an_index_or_a_command(holder: str) -> None:
    source = TYPICAL.replace('print(repo.git.show("v1:scores.csv"))\n', f'{holder}.add(["scores.csv"])\n')
    code = translated(source)
    assert "def dvc_git_repo(" in code and "repo = dvc_git_repo(target)" in code


@pytest.mark.parametrize("name", sorted(HELPERS.names))
def test_copied_helpers_keep_only_their_docstring_summary(name: str) -> None:
    """The details of a helper's docstring stay in runtime.py; the copy keeps one summary line."""
    source = HELPERS.helpers[name].source
    docstring_lines = [line for line in source.splitlines() if '"""' in line]
    assert len(docstring_lines) == 1, source


def test_archive_and_worktree_of_data_are_translated_not_refused() -> None:
    source = (
        "import io\nimport git\nrepo = git.Repo.init('.')\nopen('labels.csv', 'w').write('a\\n1\\n')\n"
        "repo.index.add(['labels.csv'])\nrepo.index.commit('v1')\nbuffer = io.BytesIO()\n"
        "repo.archive(buffer, treeish='HEAD', prefix='rel/')\n"
        "repo.git.worktree('add', '--detach', 'old', 'HEAD')\n"
    )
    code = translated(source)
    assert "dvc_archive(repo, buffer, treeish='HEAD', prefix='rel/')" in code
    assert "repo.git.worktree('add', '--detach', 'old', 'HEAD')\ndvc_fill_worktree(repo, 'old', 'HEAD')" in code


def test_helpers_that_hand_on_or_take_other_objects_keep_dvc_git_repo() -> None:
    """PASS_OTHER_TARGETS lists every helper that passes another helper an index or commit, or
    that takes a commit, remote or command: with those, `dvc_git_repo(target)` must not fold."""
    import ast
    import inspect

    from mlops_adapt.tasks.translate_gitpython_dvc import runtime
    from mlops_adapt.tasks.translate_gitpython_dvc.recipe import PASS_OTHER_TARGETS

    functions = [
        f for f in ast.parse(inspect.getsource(runtime)).body if isinstance(f, ast.FunctionDef) and f.name != "dvc_git_repo"
    ]
    take_targets = {f.name for f in functions if "dvc_git_repo(" in ast.unparse(f)}
    for function in functions:
        first = function.args.args[0].arg
        hands_on = any(
            isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id in take_targets and c.args
            and not (isinstance(c.args[0], ast.Name) and c.args[0].id in (first, "repo"))
            for c in ast.walk(function)
        )
        other_objects = "isinstance(target, git.Commit" in ast.unparse(function) or "git.Remote" in ast.unparse(function)
        takes_other = function.name in take_targets and first not in ("target", "repo")
        if hands_on or other_objects or takes_other:
            assert function.name in PASS_OTHER_TARGETS, function.name
