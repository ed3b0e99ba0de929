"""One safety label per edit: the CLI, the editor's list, the editor's resolve and the PR bot agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_test_support import TRAIN_SCRIPT, action_for, list_actions, open_document
from pytest_lsp import LanguageClient

from mlops_adapt.verify.safety import Safety, expected_safety, threshold, verdict
from mlops_adapt.results import Check

ROOT = Path(__file__).resolve().parents[2]
URI = "file:///work/train.py"


def _cli_label(tmp_path: Path, task: str) -> str:
    script = tmp_path / "train.py"
    script.write_text(TRAIN_SCRIPT, encoding="utf-8")
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "mlops_adapt", "apply", task, str(script), "--json", str(report)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    files = json.loads(report.read_text())["files"]
    return files[0]["safety"]


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _review_label(tmp_path: Path, task: str) -> str:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "dev@example.com")
    _git(root, "config", "user.name", "Dev")
    (root / "README.md").write_text("# project\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    _git(root, "checkout", "-qb", "pr")
    (root / "train.py").write_text(TRAIN_SCRIPT)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "script")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "MLOPS_ADAPT_"))}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "mlops_adapt.review", "--base", "main", "--head", "pr",
         "--task", task, "--unsafe", "--format", "sarif"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)["runs"][0]["results"]
    labels = {r["properties"]["safety"] for r in results}
    assert len(labels) == 1, results
    return labels.pop()


@pytest.mark.parametrize("task", ["track-mlflow", "hpo-optuna"])
async def test_cli_editor_list_resolve_and_pr_bot_show_the_same_label(
    client: LanguageClient, tmp_path, task
):
    open_document(client, URI, TRAIN_SCRIPT, version=1)
    listed = action_for(await list_actions(client, URI), task)
    resolved = await client.code_action_resolve_async(listed)
    labels = {
        "editor list": listed.title.rsplit("[", 1)[1].rstrip("]"),
        "editor resolve": resolved.title.rsplit("[", 1)[1].rstrip("]"),
        "cli": _cli_label(tmp_path, task),
        "pr bot": _review_label(tmp_path, task),
    }
    assert len(set(labels.values())) == 1, labels
    assert labels["cli"] == ("safe" if task == "track-mlflow" else "unsafe")


def test_the_label_is_ordered_and_adapters_only_compare_it():
    assert Safety.DISPLAY_ONLY.rank < Safety.UNSAFE.rank < Safety.SAFE.rank
    assert Safety.SAFE.meets(threshold(allow_unsafe=False))
    assert not Safety.UNSAFE.meets(threshold(allow_unsafe=False))
    assert Safety.UNSAFE.meets(threshold(allow_unsafe=True))
    assert not Safety.DISPLAY_ONLY.meets(threshold(allow_unsafe=True))


def test_the_verdict_names_its_reasons():
    passed = [Check("V1", "parses", "pass"), Check("V2", "scope", "pass")]
    assert verdict(passed, "additive", "recipe")[0] is Safety.SAFE
    label, reasons = verdict(passed, "additive", "llm")
    assert label is Safety.UNSAFE and any("LLM edit without an executed check" in r for r in reasons)
    label, reasons = verdict(passed, "restructure", "recipe")
    assert label is Safety.UNSAFE and any("restructures code by design" in r for r in reasons)
    label, _ = verdict([*passed, Check("V4", "postconditions", "fail", ("x",))], "additive", "recipe")
    assert label is Safety.DISPLAY_ONLY
    assert expected_safety("additive") is Safety.SAFE and expected_safety("translate") is Safety.UNSAFE
