"""Older bubblewrap (Ubuntu 22.04 ships 0.6: no --size, no --disable-userns) still isolates."""

import subprocess

import pytest

from mlops_adapt.verify import sandbox
from mlops_adapt.verify.sandbox import run_script

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture
def bwrap_0_6():
    """The installed bwrap, described by a help text without the options that came after 0.6."""
    saved = dict(sandbox._CACHE)
    help_text = subprocess.run(
        ["bwrap", "--help"], capture_output=True, text=True, check=False
    ).stdout
    sandbox._CACHE["bwrap_help"] = "\n".join(
        line
        for line in help_text.splitlines()
        if "--size" not in line and "--disable-userns" not in line
    )
    yield
    sandbox._CACHE.clear()
    sandbox._CACHE.update(saved)


def test_options_newer_than_the_installed_bwrap_are_left_out(bwrap_0_6, tmp_path):
    (tmp_path / "hooks").mkdir()
    assert "--size" not in sandbox._mount_args(tmp_path, [])
    assert "--disable-userns" not in sandbox._namespace_args(as_root=False)
    run = run_script(
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 443), timeout=5)\n"
        "    print('connected')\n"
        "except OSError:\n"
        "    print('blocked')\n",
        timeout=60,
        root=tmp_path / "sandbox",
    )
    assert run.ok and run.isolated, run.stderr
    assert run.stdout.strip() == "blocked"


def test_the_installed_bwrap_gets_its_newer_options():
    if (
        "--size"
        in subprocess.run(["bwrap", "--help"], capture_output=True, text=True, check=False).stdout
    ):
        assert "--size" in sandbox._mount_args(sandbox.Path("/nonexistent"), [])
