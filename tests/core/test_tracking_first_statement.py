"""A script whose first statement is a call: the run start must not come before its import (issue 14).

`mlflow.start_run()` / `wandb.init()` go before the first statement that does work, and the
import goes after the top import block. When the work comes first, the run start used to land
above its own import: a NameError at run time, labelled safe.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .runner import run_script

ROOT = Path(__file__).resolve().parents[2]

BODY = """\
import numpy as np
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

n_estimators = 20
X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = RandomForestClassifier(n_estimators=n_estimators, random_state=0)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy={accuracy:.3f}")
"""

SCRIPTS = {
    "print-first": 'print("hi")\n' + BODY,
    "docstring-future-then-call": (
        '"""Train."""\nfrom __future__ import annotations\nprint("hi")\n' + BODY),
    "call-between-imports": BODY.replace(
        "from sklearn.datasets", 'np.random.seed(0)\nfrom sklearn.datasets', 1),
}


def apply_with_cli(task: str, script: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLOPS_ADAPT_", "OPENAI_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "mlops_adapt", "apply", task, script.name,
                           "--backend", "recipe", "--write"], cwd=script.parent, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("task", ["track-mlflow", "track-wandb"])
@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_the_adapted_script_runs_and_records_a_run(task, name, tmp_path):
    source = SCRIPTS[name]
    original = run_script(source, tmp_path / "original")
    assert original.returncode == 0, original.stderr[-2000:]

    work = tmp_path / "adapt"
    work.mkdir()
    script = work / "x.py"
    script.write_text(source)
    done = apply_with_cli(task, script)
    assert done.returncode == 0, done.stderr
    assert "(safe)" in done.stderr  # the verifier called it safe, so it must run
    adapted = script.read_text()
    library = "mlflow" if task == "track-mlflow" else "wandb"
    start = "mlflow.start_run(" if library == "mlflow" else "wandb.init("
    assert adapted.index(f"import {library}\n") < adapted.index(start)

    run = run_script(adapted, tmp_path / "run")
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == original.stdout
    if library == "mlflow":
        from mlflow.tracking import MlflowClient

        (recorded,) = MlflowClient(tracking_uri=run.tracking_uri).search_runs(["0"])
        assert recorded.info.status == "FINISHED"
        assert "accuracy" in recorded.data.metrics
        assert recorded.data.params["n_estimators"] == "20"
    else:
        from mlops_adapt.verify.wandb_offline import find_offline_runs, read_offline_run

        (found,) = find_offline_runs(run.workdir)
        data = read_offline_run(found)
        assert "accuracy" in data["summary"] and "n_estimators" in data["config"]
