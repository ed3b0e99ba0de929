"""The VS Code extension's task list (tasks.generated.ts, package.json enums) is generated and fresh."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_adapt.cli import main as cli_main
from mlops_adapt.server import vscode_manifest as vm
from mlops_adapt.tasks import TASKS, TaskSpec

NEW_TASK = TaskSpec(
    id="export-onnx",
    kind="translate",
    target="ONNX",
    library="onnx",
    title='Export the model to ONNX ("opset 17")',
    applies=lambda _sig: False,
)


@pytest.fixture
def extension(tmp_path: Path) -> Path:
    """A copy of the extension's generated files and package.json, to change freely."""
    copy = tmp_path / "vscode-extension"
    (copy / "src").mkdir(parents=True)
    shutil.copy(vm.EXTENSION_DIR / vm.PACKAGE_JSON, copy / vm.PACKAGE_JSON)
    shutil.copy(vm.EXTENSION_DIR / vm.TS_FILE, copy / vm.TS_FILE)
    return copy


def run_module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlops_adapt.server.vscode_manifest", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_extension_task_list_is_up_to_date():
    stale = vm.stale_files()
    assert stale == [], f"out of date: {stale}; regenerate with: {vm.COMMAND}"


def test_committed_files_list_the_catalog_in_order():
    ts = (vm.EXTENSION_DIR / vm.TS_FILE).read_text(encoding="utf-8")
    ids = [line.split('"')[1] for line in ts.splitlines() if line.startswith("    id: ")]
    assert ids == list(TASKS)
    manifest = json.loads((vm.EXTENSION_DIR / vm.PACKAGE_JSON).read_text())
    setting = manifest["contributes"]["configuration"]["properties"][vm.ENABLED_TASKS]
    assert setting["items"]["enum"] == setting["default"] == list(TASKS)
    assert setting["items"]["enumDescriptions"] == [spec.title for spec in TASKS.values()]


def test_a_new_task_makes_both_files_stale_until_written(extension: Path):
    catalog = {**TASKS, NEW_TASK.id: NEW_TASK}
    before = json.loads((extension / vm.PACKAGE_JSON).read_text())
    assert vm.stale_files(extension, TASKS) == []
    both = [extension / vm.TS_FILE, extension / vm.PACKAGE_JSON]
    assert vm.stale_files(extension, catalog) == both

    assert vm.write(extension, catalog) == both
    assert vm.stale_files(extension, catalog) == []
    ts = (extension / vm.TS_FILE).read_text(encoding="utf-8")
    assert 'id: "export-onnx",' in ts and f"title: {json.dumps(NEW_TASK.title)}," in ts
    after = json.loads((extension / vm.PACKAGE_JSON).read_text())
    setting = after["contributes"]["configuration"]["properties"][vm.ENABLED_TASKS]
    assert setting["default"][-1] == setting["items"]["enum"][-1] == "export-onnx"
    assert setting["items"]["enumDescriptions"][-1] == NEW_TASK.title
    # Only the enabledTasks setting changed; every other part of package.json is kept.
    for manifest in (before, after):
        del manifest["contributes"]["configuration"]["properties"][vm.ENABLED_TASKS]
    assert after == before


def test_check_fails_on_a_stale_copy_and_write_fixes_it(extension: Path):
    (extension / vm.TS_FILE).write_text("export const TASKS = [];\n")
    check = run_module("--check", "--extension-dir", str(extension))
    assert check.returncode == 1
    assert "out of date" in check.stderr and vm.COMMAND in check.stderr
    assert "package.json" not in check.stderr  # only the file that differs is named

    written = run_module("--write", "--extension-dir", str(extension))
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == f"wrote {extension / vm.TS_FILE}"
    assert run_module("--extension-dir", str(extension)).returncode == 0  # --check is the default
    assert (extension / vm.TS_FILE).read_text() == vm.render_typescript()


@pytest.mark.parametrize(
    ("package_json", "reason"),
    [
        ('{"contributes": ', "not valid JSON"),
        ('{"contributes": {"configuration": {"properties": {}}}}', "mlopsAdapt.enabledTasks"),
    ],
)
def test_a_broken_package_json_is_a_clear_error_and_nothing_is_written(
    extension: Path, package_json: str, reason: str
):
    (extension / vm.PACKAGE_JSON).write_text(package_json)
    (extension / vm.TS_FILE).unlink()
    run = run_module("--write", "--extension-dir", str(extension))
    assert run.returncode == 2
    assert reason in run.stderr and "Traceback" not in run.stderr
    assert not (extension / vm.TS_FILE).exists()  # nothing half-done
    assert (extension / vm.PACKAGE_JSON).read_text() == package_json


def test_tasks_json_gives_every_field_the_extension_shows(capsys):
    assert cli_main(["tasks", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [{name: row[name] for name in vm.FIELDS} for row in rows] == vm.task_rows()
