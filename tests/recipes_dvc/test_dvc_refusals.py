"""Shapes that read data through git's object store are refused by translate-gitpython-dvc, with the reason."""

from __future__ import annotations

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed

TASK = "translate-gitpython-dvc"
PRELUDE = (
    "import git\n"
    "repo = git.Repo.init('proj')\n"
    "open('proj/scores.csv', 'w').write('id,score\\n1,0.5\\n')\n"
    "repo.index.add(['scores.csv'])\n"
    "repo.index.commit('scores')\n"
)


@pytest.mark.parametrize(
    ("call", "why"),
    [
        ("for c, lines in repo.blame('HEAD', 'scores.csv'):\n    print(c.hexsha, len(lines))", "per-line history"),
        ("print(len(repo.git.archive('HEAD~1', format='tar')))", "output of a `git archive` command"),
        ("repo.git.worktree('add', '--lock', 'old_copy', 'HEAD~1')", "`git worktree add --lock` is not translated"),
    ],
)
def test_git_object_store_reads_of_data_are_refused(call: str, why: str) -> None:
    result = adapt(PRELUDE + call + "\n", TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed), result
    assert why in " ".join(result.reasons)


def test_worktree_list_and_prune_alone_are_not_refused() -> None:
    source = PRELUDE + "repo.git.worktree('prune')\nprint(len(repo.git.worktree('list').splitlines()))\n"
    assert isinstance(adapt(source, TASK, AdaptOptions(backend="recipe")), Applied)


def test_a_merge_of_data_folders_tracked_as_a_whole_is_refused() -> None:
    """A listed data folder is one .dvc file: two branches adding files to it conflict in it."""
    source = (
        "import os\nimport git\nrepo = git.Repo.init('.')\nos.makedirs('data', exist_ok=True)\n"
        "open('data/a.csv', 'w').write('x\\n1\\n')\nrepo.index.add(['data/a.csv'])\nrepo.index.commit('a')\n"
        "repo.git.merge('other', '--no-ff')\nprint(sorted(os.listdir('data')))\n"
    )
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed), result
    assert "one .dvc file" in " ".join(result.reasons)
