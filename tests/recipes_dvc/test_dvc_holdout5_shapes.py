"""Git layouts DVC cannot mirror (orphan data branch, sparse checkout, submodule, staged-index gate) are refused."""

from __future__ import annotations

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed

TASK = "translate-gitpython-dvc"
PRELUDE = (
    "import os\n"
    "from git import Repo\n"
    "repo = Repo.init('.')\n"
    "os.makedirs('tables', exist_ok=True)\n"
    "open('tables/prices.csv', 'w').write('sku,price\\n1,9.5\\n')\n"
    "repo.index.add(['tables/prices.csv'])\n"
)


def _refusal(tail: str) -> str:
    result = adapt(PRELUDE + tail, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed), result
    return " ".join(result.reasons)


@pytest.mark.parametrize(
    "tail",
    [
        "repo.git.checkout('--orphan', 'price-history')\nrepo.index.commit('prices')\n",
        "repo.git.switch('--orphan', 'price-history')\nrepo.index.commit('prices')\n",
        "repo.git.checkout('price-history', orphan=True)\nrepo.index.commit('prices')\n",
    ],
)
def test_data_on_an_orphan_branch_is_refused(tail: str) -> None:
    assert "orphan branch" in _refusal(tail)


@pytest.mark.parametrize(
    "tail",
    [
        "repo.index.commit('prices')\nmirror = Repo.clone_from('.', 'mirror', no_checkout=True)\n"
        "mirror.git.sparse_checkout('set', 'tables')\nmirror.git.checkout('master')\n",
        "repo.index.commit('prices')\nmirror = Repo.clone_from('.', 'mirror', no_checkout=True)\n"
        "mirror.git.execute(['git', 'sparse-checkout', 'set', 'tables'])\n",
    ],
)
def test_a_sparse_checkout_of_data_is_refused(tail: str) -> None:
    assert "sparse checkout" in _refusal(tail)


@pytest.mark.parametrize(
    "tail",
    [
        "repo.index.commit('prices')\nrepo.create_submodule('feeds', 'ext/feeds', url='/tmp/feeds')\n",
        "repo.index.commit('prices')\nrepo.git.submodule('update', '--remote')\n",
    ],
)
def test_data_in_a_submodule_is_refused(tail: str) -> None:
    assert "dvc import" in _refusal(tail)


@pytest.mark.parametrize(
    "tail",
    [
        "staged = [d.a_path for d in repo.index.diff('HEAD')]\nprint(staged)\n",
        "staged = repo.index.diff(repo.head.commit)\nprint(len(staged))\n",
    ],
)
def test_inspecting_the_staged_index_is_refused(tail: str) -> None:
    assert "staged changes" in _refusal(tail)


def test_index_against_the_work_tree_is_still_translated() -> None:
    """`index.diff(None)` (unstaged changes) has a DVC view and stays translated."""
    source = PRELUDE + "repo.index.commit('prices')\nprint([d.a_path for d in repo.index.diff(None)])\n"
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    assert "dvc_with_changes" in result.code


def test_a_submodule_run_through_execute_is_refused() -> None:
    tail = "repo.index.commit('prices')\nrepo.git.execute(['git', 'submodule', 'add', '/tmp/feeds', 'ext'])\n"
    assert "dvc import" in _refusal(tail)
