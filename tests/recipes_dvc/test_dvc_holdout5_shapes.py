"""Git layouts DVC cannot mirror (orphan data branch, sparse checkout, submodule, staged-index gate) are refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize("other", ["'HEAD'", "repo.head.commit"])
def test_the_index_against_head_lists_the_staged_data(other: str) -> None:
    source = PRELUDE + f"print([d.a_path for d in repo.index.diff({other})])\n"
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    assert f"dvc_staged(repo, repo.index.diff({other}))" in result.code


def test_a_revision_other_than_head_against_the_index_is_refused() -> None:
    assert "other than HEAD" in _refusal("repo.index.commit('p')\nprint(len(repo.index.diff('HEAD~1')))\n")


# A gate of my own: stage two readings files, check the staged ones, unstage and delete the bad one.
GATE = """
import os
from git import Repo

repo = Repo.init(".")
if not repo.head.is_valid():
    open("notes.md", "w").write("readings\\n")
    repo.index.add(["notes.md"])
    repo.index.commit("start")
os.makedirs("readings", exist_ok=True)
n = len(os.listdir("readings")) + 1
ok, broken = f"readings/r{n}_ok.csv", f"readings/r{n}_broken.csv"
open(ok, "w").write("t,v\\n1,2.5\\n2,3.5\\n")
open(broken, "w").write("t,v\\n1,oops\\n")
repo.index.add([ok, broken])
staged = sorted(d.a_path for d in repo.index.diff("HEAD"))
bad = [p for p in staged if "oops" in open(p).read()]
repo.index.remove(bad)
for p in bad:
    os.remove(p)
repo.index.commit(f"readings {n}")
print("staged", staged, "bad", bad)
print("files", sorted(os.listdir("readings")), "dirty", repo.is_dirty())
"""


def _env(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "DVC_"))}
    return keep | {
        "HOME": str(home), "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "DVC_NO_ANALYTICS": "1", "DVC_NO_UPDATER": "1",
    }


@pytest.mark.slow
def test_a_staged_index_gate_runs_as_before_with_dvc_versioning_the_data(tmp_path: Path) -> None:
    result = adapt(GATE, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    outputs = {}
    for name, source in (("original", GATE), ("translated", result.code)):
        (tmp_path / name).mkdir()
        script = tmp_path / f"{name}.py"
        script.write_text(source)
        runs = [
            subprocess.run([sys.executable, str(script)], cwd=tmp_path / name, env=_env(tmp_path),
                           capture_output=True, text=True, timeout=180, check=False)
            for _ in range(2)
        ]
        assert all(r.returncode == 0 for r in runs), runs[-1].stderr[-2000:]
        outputs[name] = [r.stdout for r in runs]
    assert outputs["translated"] == outputs["original"]
    assert "'readings/r2_ok.csv'" in outputs["original"][1]
    tracked = subprocess.run(["git", "ls-files"], cwd=tmp_path / "translated", capture_output=True, text=True).stdout.split()
    assert any(p.endswith(".dvc") for p in tracked)
    assert not [p for p in tracked if p.endswith(".csv")]


def test_index_against_the_work_tree_is_still_translated() -> None:
    """`index.diff(None)` (unstaged changes) has a DVC view and stays translated."""
    source = PRELUDE + "repo.index.commit('prices')\nprint([d.a_path for d in repo.index.diff(None)])\n"
    result = adapt(source, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    assert "dvc_with_changes" in result.code


def test_a_submodule_run_through_execute_is_refused() -> None:
    tail = "repo.index.commit('prices')\nrepo.git.execute(['git', 'submodule', 'add', '/tmp/feeds', 'ext'])\n"
    assert "dvc import" in _refusal(tail)
