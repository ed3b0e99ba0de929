"""Git features that search or ship the data's bytes through git (pickaxe, patches, bundles, nested tree
walks, attributes of listed files) are refused before any edit, with the reason."""

from __future__ import annotations

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed

TASK = "translate-gitpython-dvc"
PRELUDE = (
    "import os\nimport git\n"
    "repo = git.Repo.init('.')\n"
    "os.makedirs('labels', exist_ok=True)\n"
    "open('labels/rows.csv', 'w').write('id,label\\n1,cat\\n')\n"
    "repo.index.add(['labels/rows.csv'])\n"
    "c = repo.index.commit('rows')\n"
)


def _adapt(tail: str):
    return adapt(PRELUDE + tail + "\n", TASK, AdaptOptions(backend="recipe"))


@pytest.mark.parametrize(
    ("tail", "why"),
    [
        ("print(repo.git.log('-S', '1,cat', '--format=%s', '--', 'labels/rows.csv'))", "pickaxe"),
        ("print(repo.git.log('-G', ',cat$', '--oneline'))", "pickaxe"),
        ("print([x.summary for x in repo.iter_commits(S='cat', paths='labels')])", "pickaxe"),
        ("p = repo.git.format_patch('-1', 'HEAD')\ngit.Repo('../peer').git.am(p)", "format-patch"),
        ("repo.git.execute(['git', 'format-patch', '-1'])", "format-patch"),
        ("repo.git.bundle('create', 'ship.bundle', 'HEAD')\ngit.Repo.clone_from('ship.bundle', 'site')", "git bundle"),
        ("print((c.tree / 'labels' / 'rows.csv').data_stream.read())", "folder by folder"),
        (
            "for p in repo.git.ls_files().splitlines():\n    print(repo.git.check_attr('split', p))",
            "check-attr",
        ),
    ],
)
def test_git_only_views_of_data_are_refused(tail: str, why: str) -> None:
    result = _adapt(tail)
    assert isinstance(result, Failed), result
    assert why in " ".join(result.reasons)


@pytest.mark.parametrize(
    "tail",
    [
        # the pickaxe searches code only, whose history git still holds
        "print(repo.git.log('-S', 'def main', '--format=%s', '--', 'train.py'))",
        # check-attr of named paths, without listing git's files
        "print(repo.git.check_attr('-a', 'labels/rows.csv'))",
        # plain logs are not searches of content
        "print(repo.git.log('--format=%s', '-n', '3'))",
    ],
)
def test_neighbouring_shapes_are_still_translated(tail: str) -> None:
    assert isinstance(_adapt(tail), Applied)
