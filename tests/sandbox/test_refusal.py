"""Without bubblewrap, executed verification is refused, unless the user opts in to run unisolated."""

import json
import os
import subprocess
import sys

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify import executed
from mlops_adapt.verify.executed import check_executed
from mlops_adapt.verify.sandbox import SandboxUnavailable, run_script

from ._support import REPO, SECRETS, leaked

ORIGINAL = REPO / "bench" / "corpus" / "ml" / "sk_flat_rf.py"
CANDIDATE = REPO / "bench" / "verifier" / "good" / "mlflow_flat_rf.py"


@pytest.fixture
def no_bwrap(monkeypatch, tmp_path, fresh_probe):
    """A PATH on which bwrap cannot be found (the interpreter itself is called by full path)."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("MLOPS_ADAPT_UNSAFE_SANDBOX", raising=False)
    monkeypatch.setattr(executed, "_SAID", set())
    return str(empty)


def test_run_script_refuses_and_says_how_to_fix_it(no_bwrap, tmp_path):
    with pytest.raises(SandboxUnavailable) as refused:
        run_script("open('ran', 'w').write('x')\n", timeout=30, root=tmp_path / "sandbox")
    message = str(refused.value)
    assert "bubblewrap (bwrap) is not installed" in message
    assert "apt-get install bubblewrap" in message and "MLOPS_ADAPT_UNSAFE_SANDBOX=1" in message
    assert not (tmp_path / "sandbox").exists()  # refused before anything was laid out or run


def test_v5_fails_with_the_reason(no_bwrap):
    options = AdaptOptions(verify="run", path=str(ORIGINAL))
    check = check_executed(ORIGINAL.read_text(), CANDIDATE.read_text(), "track-mlflow", options)
    assert (check.id, check.status) == ("V5", "fail")
    assert check.reasons[0].startswith("executed verification refused")
    assert "bubblewrap" in check.reasons[0]


def test_the_unsafe_opt_in_is_warned_about_once(no_bwrap, monkeypatch, capsys):
    monkeypatch.setenv("MLOPS_ADAPT_UNSAFE_SANDBOX", "1")
    assert executed._refusal() is None and executed._refusal() is None
    assert capsys.readouterr().err.count("WARNING: running scripts WITHOUT isolation") == 1


def test_the_unsafe_opt_in_runs_unisolated_with_the_allow_list(
    no_bwrap, monkeypatch, planted_secrets, tmp_path
):
    monkeypatch.setenv("MLOPS_ADAPT_UNSAFE_SANDBOX", "1")
    run = run_script(
        "import json, os\nprint(json.dumps(dict(os.environ)))\n",
        timeout=60,
        root=tmp_path / "sandbox",
    )
    assert run.ok, run.stderr
    assert run.isolated is False
    assert leaked(run.stdout) == []
    assert json.loads(run.stdout)["HOME"] == str(run.root / "home")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["verify", "apply"])
def test_the_cli_explains_the_refusal(tmp_path, command):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, **SECRETS, "PATH": str(empty), "PYTHONPATH": str(REPO)}
    env.pop("MLOPS_ADAPT_UNSAFE_SANDBOX", None)
    script = tmp_path / "train.py"
    script.write_text(ORIGINAL.read_text())
    if command == "verify":
        argv = ["verify", "track-mlflow", str(script), str(CANDIDATE), "--run"]
    else:
        argv = ["apply", "track-mlflow", str(script), "--verify", "run"]
    done = subprocess.run(
        [sys.executable, "-m", "mlops_adapt", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    said = done.stdout + done.stderr
    assert "executed verification refused" in said and "bubblewrap (bwrap) is not installed" in said
    assert "MLOPS_ADAPT_UNSAFE_SANDBOX=1" in said
    assert done.returncode != 0
    assert script.read_text() == ORIGINAL.read_text()
    if command == "verify":
        assert "V5 executed        fail" in done.stdout
    else:
        assert "no verified edit" in done.stderr
