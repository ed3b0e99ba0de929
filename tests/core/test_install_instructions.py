"""Install instructions work from a fresh machine: no PyPI name, only paths and VCS URLs pip accepts."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "github-workflow.yml"
EXTENSION_README = ROOT / "vscode-extension" / "README.md"
VCS_SCHEMES = ("git+https://", "git+ssh://", "git+file://")


def pip_install_targets(command: str) -> list[str]:
    """The requirement arguments of every `pip install` in a shell command (options dropped)."""
    targets = []
    for line in command.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        for index, word in enumerate(words):
            if word == "install" and index and words[index - 1] == "pip":
                targets += [w for w in words[index + 1 :] if not w.startswith("-")]
    return targets


def workflow_targets() -> list[str]:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["review"]["steps"]
    return [t for step in steps for t in pip_install_targets(step.get("run", ""))]


def readme_targets() -> list[str]:
    text = EXTENSION_README.read_text(encoding="utf-8")
    commands = re.findall(r"`(pip install [^`]+)`", text)
    commands += re.findall(r"```\n\s*(pip install [^\n]+)\n\s*```", text)
    return [t for command in commands for t in pip_install_targets(command)]


def kind_of(target: str) -> str:
    """"vcs" for `name @ git+URL`, "path" for a local folder, else what pip would look up on PyPI."""
    if target.startswith((".", "/", "$")):
        return "path"
    requirement = Requirement(target)  # raises InvalidRequirement on a malformed line
    if requirement.url and requirement.url.startswith(VCS_SCHEMES):
        return "vcs"
    return f"index: {requirement.name}{requirement.specifier}"


def local_path(target: str) -> Path:
    """The folder a path target names, with the workflow's tool checkout mapped to this checkout."""
    plain = target.split("[", 1)[0]
    if plain.startswith("$GITHUB_WORKSPACE/mlops-adapt-tool"):
        return ROOT
    return (ROOT / plain).resolve()


def test_every_install_names_a_path_or_a_vcs_url_never_the_index():
    targets = workflow_targets() + readme_targets()
    assert workflow_targets() and readme_targets()
    kinds = {t: kind_of(t) for t in targets}
    assert set(kinds.values()) <= {"path", "vcs"}, kinds
    assert "vcs" in kinds.values() and "path" in kinds.values()
    for target, kind in kinds.items():
        if kind == "vcs":
            assert Requirement(target).name == "mlops-adapt"


def test_the_workflow_installs_the_tool_checkout_never_the_pull_request():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["review"]["steps"]
    checkouts = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout")]
    paths = {s["with"]["path"]: s["with"] for s in checkouts}
    assert set(paths) == {"pull-request", "mlops-adapt-tool"}
    assert all(c["persist-credentials"] is False for c in paths.values())
    assert paths["mlops-adapt-tool"]["repository"] == "${{ env.TOOL_REPOSITORY }}"
    assert workflow["env"]["TOOL_REF"], "the tool is pinned to a tag or commit"
    assert workflow_targets() == ["$GITHUB_WORKSPACE/mlops-adapt-tool"]
    review = next(s for s in steps if "mlops-adapt review" in s.get("run", ""))
    assert '--repo "$GITHUB_WORKSPACE/pull-request"' in review["run"]


@pytest.mark.parametrize("target", sorted({t for t in workflow_targets() + readme_targets()
                                           if kind_of(t) == "path"}))
def test_the_local_path_form_installs_for_real(target):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", str(local_path(target))],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Would install mlops-adapt" in done.stdout, done.stdout[-2000:]


def test_the_index_name_is_what_fails():
    """What the instructions avoid: a bare name is an index lookup, which this check rejects."""
    assert kind_of("mlops-adapt==0.1.0").startswith("index")
    assert kind_of('mlops-adapt @ git+https://github.com/OWNER/REPO@v0.1.0') == "vcs"


@pytest.mark.slow
def test_a_regular_install_carries_the_docs_index(tmp_path):
    """`pip install git+URL` or `pip install ./checkout` is not editable: the corpus, the notes
    and the shipped vectors must come with it (pyproject data-files), not only with a checkout."""
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    wheel = next(wheels.glob("mlops_adapt-*.whl"))
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--disable-pip-version-check", "-q",
         str(wheel)],
        # Without PYTHONPATH: a checkout on it would count as "already installed".
        env={"PATH": os.environ.get("PATH", "")}, cwd=tmp_path,
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    probe = (
        "from mlops_adapt.retrieval.paths import committed_corpus_dir, notes_file\n"
        "from mlops_adapt.retrieval.vectors import bundle_path\n"
        "corpus = committed_corpus_dir()\n"
        "print(corpus)\n"
        "print(sorted(p.name.split('@')[0] for p in corpus.glob('*.jsonl')))\n"
        "print(notes_file().is_file(), bundle_path().is_file())\n"
    )
    done = subprocess.run([str(python), "-c", probe], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={"PATH": os.environ.get("PATH", "")})
    assert done.returncode == 0, done.stderr
    corpus, libraries, found = done.stdout.splitlines()
    assert corpus.startswith(str(venv)), corpus
    assert libraries == str(sorted(["dvc", "git", "mlflow", "optuna", "torch", "wandb"]))
    assert found == "True True"
