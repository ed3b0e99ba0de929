"""The bot never imports modules from the checkout it reviews, however it is started (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TRAIN_RF

# Module names a pull request could plant at its root to run code inside the bot: every public
# standard-library module and the third-party ones the bot and the server import.
HOSTILE_NAMES = sorted({name for name in sys.stdlib_module_names if not name.startswith("_")}
                       | {"__future__", "libcst", "pygls", "lsprotocol", "cattrs", "attrs", "yaml"})


@pytest.fixture
def hostile_pr(repo, tmp_path):
    """A PR whose root holds json.py, libcst.py, ... that each write a marker when imported."""
    marker = tmp_path / "imported-from-checkout.txt"
    repo.write("README.md", "# project\n")
    base = repo.commit("base")
    repo.branch("feature")
    repo.write("train.py", TRAIN_RF)
    for name in HOSTILE_NAMES:
        payload = f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n"
        repo.write(f"{name}.py", payload)
    repo.commit("add a training script and planted modules")
    return repo, base, marker


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "GH_", "ACTIONS_", "OPENAI_", "MLOPS_ADAPT_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _console_script() -> str:
    script = Path(sys.executable).parent / "mlops-adapt"
    if not script.exists():
        pytest.skip("the mlops-adapt console script is not installed next to this Python")
    return str(script)


@pytest.mark.parametrize("launcher", [
    "python -m mlops_adapt.review",
    "python -m mlops_adapt review",
    "mlops-adapt review",
])
def test_review_in_a_hostile_checkout_imports_nothing_from_it(hostile_pr, launcher):
    repo, _, marker = hostile_pr
    command = {
        "python -m mlops_adapt.review": [sys.executable, "-m", "mlops_adapt.review"],
        "python -m mlops_adapt review": [sys.executable, "-m", "mlops_adapt", "review"],
        "mlops-adapt review": [_console_script(), "review"],
    }[launcher]
    done = subprocess.run([*command, "--base", "main", "--head", "feature"], cwd=repo.root,
                          env=_env(), capture_output=True, text=True, timeout=300, check=False)
    assert not marker.exists(), f"imported from the checkout: {marker.read_text().split()}"
    assert done.returncode == 0, done.stderr
    assert '"path": "train.py"' in done.stdout  # the review itself ran and found the script


def test_language_server_started_in_a_hostile_workspace_imports_nothing_from_it(hostile_pr):
    """Editors start `python -m mlops_adapt lsp` with the workspace as the working directory."""
    repo, _, marker = hostile_pr
    body = b'{"jsonrpc":"2.0","id":1,"method":"shutdown"}'
    exit_body = b'{"jsonrpc":"2.0","method":"exit"}'
    frames = b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(b), b) for b in (body, exit_body))
    done = subprocess.run([sys.executable, "-m", "mlops_adapt", "lsp"], cwd=repo.root, env=_env(),
                          input=frames, capture_output=True, timeout=120, check=False)
    assert not marker.exists(), f"imported from the checkout: {marker.read_text().split()}"
    assert b'"id":1' in done.stdout.replace(b" ", b""), done.stderr.decode()
