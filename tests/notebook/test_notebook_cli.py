"""`mlops-adapt apply` on real notebooks: diffs by cell, verified writes that keep everything else,
and adapted notebooks that run in IPython against the real MLflow store."""

from __future__ import annotations

import json
import re

import pytest

from .support import cli, code_of, copy_notebook, load, run_in_ipython

UNCHANGED_KEYS = ("cell_type", "id", "metadata", "outputs", "execution_count")


def assert_only_code_changed(before: dict, after: dict) -> list[int]:
    """Same cells (ids, outputs, counts, metadata, markdown) and notebook metadata, apart from
    new code cells; returns the indexes of the code cells whose source changed."""
    assert after["metadata"] == before["metadata"]
    assert (after["nbformat"], after["nbformat_minor"]) == (before["nbformat"], before["nbformat_minor"])
    old_ids = {c["id"] for c in before["cells"]}
    kept = [c for c in after["cells"] if c["id"] in old_ids]
    for cell in after["cells"]:
        if cell["id"] not in old_ids:  # a new cell: code, never run, like the others in shape
            assert cell["cell_type"] == "code" and cell["outputs"] == []
            assert cell["execution_count"] is None and list(cell) == list(before["cells"][1])
    assert len(kept) == len(before["cells"])
    changed = []
    for index, (old, new) in enumerate(zip(before["cells"], kept)):
        assert {k: old.get(k) for k in UNCHANGED_KEYS} == {k: new.get(k) for k in UNCHANGED_KEYS}
        assert list(new) == list(old)  # key order kept
        assert isinstance(new["source"], list)  # nbformat's list-of-lines form kept
        if old["source"] != new["source"]:
            assert old["cell_type"] == "code", f"non-code cell {index} changed"
            changed.append(index)
    return changed


def test_diff_is_shown_by_cell_and_the_file_is_left_alone(tmp_path):
    notebook = copy_notebook("sk_wine.ipynb", tmp_path)
    before = notebook.read_bytes()
    done = cli("apply", "track-mlflow", notebook.name, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert notebook.read_bytes() == before
    headers = re.findall(r"^\+\+\+ b/sk_wine\.ipynb \((.*)\)$", done.stdout, re.MULTILINE)
    # the run ends in a new cell: after cell 6, whose shown value it would otherwise hide
    assert headers == ["cell 1", "cell 4", "cell 5", "new cell after cell 6"]
    assert "+import mlflow" in done.stdout
    assert '"cell_type"' not in done.stdout  # no raw JSON in the diff
    assert "%%time" in done.stdout  # the magic is shown as the user wrote it, as context
    assert "sk_wine.ipynb: safe edit" in done.stderr
    check = cli("apply", "track-mlflow", notebook.name, "--check", cwd=tmp_path)
    assert check.returncode == 1 and "would adapt for track-mlflow" in check.stderr


def test_write_keeps_outputs_markdown_metadata_and_layout_and_the_code_runs(tmp_path):
    notebook = copy_notebook("sk_wine.ipynb", tmp_path)
    original_text = notebook.read_text(encoding="utf-8")
    before = json.loads(original_text)
    done = cli("apply", "track-mlflow", notebook.name, "--write", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "sk_wine.ipynb: adapted for track-mlflow (safe)" in done.stderr
    text = notebook.read_text(encoding="utf-8")
    after = json.loads(text)
    assert assert_only_code_changed(before, after) == [1, 4, 5]
    # The file's own JSON layout: indent 1, raw non-ASCII, final newline, as Jupyter writes it.
    assert text == json.dumps(after, indent=1, ensure_ascii=False) + "\n"
    assert "—" in text and "\\u2014" not in text
    cells = after["cells"]
    assert code_of(cells[1]).startswith("%matplotlib inline\n!pip install --no-index")
    assert "import mlflow" in code_of(cells[1])  # new imports join the imports' cell
    assert code_of(cells[5]).startswith("%%time\n")  # the cell magic still opens its cell
    assert not code_of(cells[5]).endswith("\n")  # Jupyter's form: no final line end
    assert code_of(cells[6]) == "np.round(acc, 3)"  # its value is still shown
    assert code_of(cells[7]) == "mlflow.end_run()"

    ran = run_in_ipython(notebook, tmp_path)
    assert ran.returncode == 0, ran.stderr + ran.stdout
    printed = re.search(r"accuracy=(\d\.\d+) f1=(\d\.\d+)", ran.stdout)
    assert printed, ran.stdout
    import mlflow

    client = mlflow.MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    runs = client.search_runs([e.experiment_id for e in client.search_experiments()])
    assert len(runs) == 1
    run = runs[0]
    assert run.info.status == "FINISHED"
    assert run.data.params["LEARNING_RATE"] == "0.1" and run.data.params["N_ESTIMATORS"] == "40"
    assert f"{run.data.metrics['acc']:.4f}" == printed.group(1)
    assert f"{run.data.metrics['f1']:.4f}" == printed.group(2)


def test_torch_notebook_tracked_and_run(tmp_path):
    notebook = copy_notebook("torch_mlp.ipynb", tmp_path)
    before = load(notebook)
    done = cli("apply", "track-mlflow", notebook.name, "--write", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = load(notebook)
    changed = assert_only_code_changed(before, after)
    assert 1 in changed and 5 in changed
    assert code_of(after["cells"][6]).startswith("%time model.eval()")

    ran = run_in_ipython(notebook, tmp_path)
    assert ran.returncode == 0, ran.stderr + ran.stdout
    import mlflow

    client = mlflow.MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    (run,) = client.search_runs([e.experiment_id for e in client.search_experiments()])
    assert run.data.params["LR"] == "0.05" and run.data.params["EPOCHS"] == "5"
    printed = re.search(r"accuracy=(\d\.\d+)", ran.stdout).group(1)
    assert f"{run.data.metrics['accuracy']:.3f}" == printed
    history = client.get_metric_history(run.info.run_id, "loss")
    assert sorted(m.step for m in history) == [0, 1, 2, 3, 4]


def test_joining_cells_is_unsafe_and_applied_only_when_asked(tmp_path):
    notebook = copy_notebook("torch_mlp.ipynb", tmp_path)
    before_bytes = notebook.read_bytes()
    before = json.loads(before_bytes)
    refused = cli("apply", "hpo-optuna", notebook.name, "--write", cwd=tmp_path)
    assert refused.returncode == 3
    assert "not written: unsafe edit" in refused.stderr and "joined into cell 2" in refused.stderr
    assert notebook.read_bytes() == before_bytes

    done = cli("apply", "hpo-optuna", notebook.name, "--write", "--unsafe", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = load(notebook)
    kinds = [c["cell_type"] for c in after["cells"]]
    # cells 2, 3, 5, 6 became cell 2; the markdown cell between them follows it
    assert kinds == ["markdown", "code", "code", "markdown"]
    assert [c["source"] for c in after["cells"] if c["cell_type"] == "markdown"] == [
        c["source"] for c in before["cells"] if c["cell_type"] == "markdown"]
    joined = after["cells"][2]
    assert joined["id"] == before["cells"][2]["id"]
    outputs = [o for i in (2, 3, 5, 6) for o in before["cells"][i]["outputs"]]
    assert joined["outputs"] == outputs  # nothing recorded is lost
    assert "    %time model.eval()" in code_of(joined)  # the line magic followed its code

    ran = run_in_ipython(notebook, tmp_path, env={"MLOPS_ADAPT_N_TRIALS": "2"})
    assert ran.returncode == 0, ran.stderr + ran.stdout
    assert "Best params:" in ran.stdout


@pytest.mark.slow
def test_verify_run_executes_the_notebook_code_before_writing(tmp_path):
    notebook = copy_notebook("sk_wine.ipynb", tmp_path)
    done = cli("apply", "register-mlflow", notebook.name, "--write", "--verify", "run",
               "--json", "report.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    (entry,) = report["files"]
    checks = {c["id"]: c["status"] for c in entry["verification"]["checks"]}
    assert checks["V5"] == "pass", entry
    assert entry["written"] is True and "(cell 5)" in entry["diff"]
    cells = load(notebook)["cells"]
    # cell 4 shows the fitted model: the model is logged at the top of the next cell (after
    # its %%time line), so that output stays
    assert code_of(cells[4]).endswith("model.fit(X_train, y_train)")
    assert code_of(cells[5]).startswith("%%time\nmlflow.sklearn.log_model(model")


@pytest.mark.parametrize(
    "content, words",
    [
        (b'{"cells": [', ["bad.ipynb: not a notebook: invalid JSON (line 1 column 12"]),
        (json.dumps({"nbformat": 3, "worksheets": [], "cells": []}).encode(),
         ["bad.ipynb: not a Jupyter notebook in nbformat 4 (nbformat 3)"]),
        (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# only words"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": []}]}).encode(),
         ["bad.ipynb: the notebook has no code to adapt"]),
        (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": ["import numpy as np\n"]},
            {"cell_type": "markdown", "metadata": {}, "source": ["text"]},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": ["x = 1\n", "print(x\n"]}]}).encode(),
         ["bad.ipynb: cell 2, line 2:6: syntax error: '(' was never closed"]),
        (json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x <- 1"]}],
            "metadata": {"kernelspec": {"language": "R", "name": "ir"}}}).encode(),
         ["bad.ipynb: a r notebook; only Python notebooks are adapted"]),
    ],
    ids=["invalid-json", "nbformat-3", "no-code", "syntax-error", "not-python"],
)
def test_bad_notebooks_exit_2_with_one_line_and_nothing_written(tmp_path, content, words):
    notebook = tmp_path / "bad.ipynb"
    notebook.write_bytes(content)
    done = cli("apply", "track-mlflow", "bad.ipynb", "--write", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("mlops-adapt: 1 file: "), done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert notebook.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ipynb"]  # no temp file left


def test_folders_include_notebooks_but_not_checkpoints(tmp_path):
    (tmp_path / "nbs" / ".ipynb_checkpoints").mkdir(parents=True)
    copy_notebook("sk_wine.ipynb", tmp_path / "nbs")
    copy_notebook("sk_wine.ipynb", tmp_path / "nbs" / ".ipynb_checkpoints")
    done = cli("apply", "track-mlflow", "nbs", "--check", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "nbs/sk_wine.ipynb: would adapt" in done.stderr
    assert "checkpoints" not in done.stderr
    assert "1 file: 1 with edits" in done.stderr
