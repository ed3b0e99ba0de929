"""`git bisect` over data commits: each step checks out the step's data with DVC."""

from __future__ import annotations

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed

TASK = "translate-gitpython-dvc"
PRELUDE = "from git import Repo\nrepo = Repo('.')\nrepo.index.add(['scores.csv'])\n"


def _translate(tail: str) -> str:
    result = adapt(PRELUDE + tail, TASK, AdaptOptions(backend="recipe"))
    assert isinstance(result, Applied), result
    return result.code


def test_each_bisect_step_is_followed_by_a_dvc_checkout() -> None:
    code = _translate(
        "repo.git.bisect('start', 'HEAD', 'v1')\nverdict = 'bad'\nout = repo.git.bisect(verdict)\n"
        "repo.git.bisect('skip')\nrepo.git.bisect('reset')\nprint(repo.git.bisect('log'))\n"
    )
    body = code[code.index("repo = Repo('.')"):]
    for step in ("repo.git.bisect('start', 'HEAD', 'v1')", "out = repo.git.bisect(verdict)",
                 "repo.git.bisect('skip')", "repo.git.bisect('reset')"):
        assert f"{step}\ndvc_checkout(repo)\n" in body, step
    assert body.count("dvc_checkout(repo)\n") == 4  # `bisect log` moves nothing


def test_bisect_run_checks_out_each_steps_data_before_the_command() -> None:
    code = _translate("import sys\nrepo.git.bisect('run', sys.executable, 'check.py')\n")
    assert "dvc_bisect_run(repo.git, 'run', sys.executable, 'check.py')" in code
    assert "-m dvc checkout -q --force || exit 128" in code

def test_a_bisect_step_inside_a_condition_is_refused() -> None:
    result = adapt(PRELUDE + "if 'first bad' in repo.git.bisect('bad'):\n    print('found')\n", TASK,
                   AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed) and "bisect" in " ".join(result.reasons)
