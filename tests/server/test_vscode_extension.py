"""The VS Code extension builds from a clean copy: npm ci, its unit tests, and the .vsix package."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lsp_test_support import ROOT

EXTENSION = ROOT / "vscode-extension"
BUILD_OUTPUTS = {"node_modules", "out", "dist", "mlops-adapt.vsix"}


@pytest.mark.slow
def test_vsix_builds_from_a_clean_copy(tmp_path: Path):
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    copy = tmp_path / "vscode-extension"
    shutil.copytree(
        EXTENSION, copy, ignore=lambda _dir, names: [n for n in names if n in BUILD_OUTPUTS]
    )
    run = subprocess.run(
        ["bash", "build.sh"], cwd=copy, capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "# fail 0" in run.stdout  # the unit tests ran and passed

    vsix = copy / "mlops-adapt.vsix"
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
    assert {"extension/dist/extension.js", "extension/package.json", "extension/readme.md"} <= names
    assert not any(
        name.startswith("extension/node_modules/") for name in names
    )  # bundled by esbuild
    assert manifest["engines"]["vscode"] == "^1.91.0"
    assert manifest["devDependencies"]["@types/vscode"] == "~1.91.0"
