"""V4 rejects a tracking edit that starts a run every epoch or splits one training across runs."""

from __future__ import annotations

import textwrap

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

ORIGINAL = """\
    import numpy as np

    EPOCHS = 40
    LR = 0.1

    rng = np.random.default_rng(4)
    X = rng.normal(size=(150, 2))
    y = (X[:, 0] > X[:, 1]).astype(float)
    w = np.zeros(2)
    for epoch in range(EPOCHS):
        p = 1 / (1 + np.exp(-(X @ w)))
        w -= LR * X.T @ (p - y) / len(y)
    accuracy = float(np.mean((X @ w > 0) == y))
    print(f"accuracy {accuracy:.3f}")
"""

# A real model's answer that V1-V5 accepted before this rule: 40 runs from the epoch loop, then
# two more for the params and the accuracy.
RUN_PER_EPOCH = """\
    import mlflow
    import numpy as np

    EPOCHS = 40
    LR = 0.1

    rng = np.random.default_rng(4)
    X = rng.normal(size=(150, 2))
    y = (X[:, 0] > X[:, 1]).astype(float)
    w = np.zeros(2)
    for epoch in range(EPOCHS):
        p = 1 / (1 + np.exp(-(X @ w)))
        with mlflow.start_run():
            mlflow.log_params({"EPOCHS": EPOCHS, "LR": LR})
            w -= LR * X.T @ (p - y) / len(y)
    with mlflow.start_run():
        mlflow.log_params({"EPOCHS": EPOCHS, "LR": LR})
        accuracy = float(np.mean((X @ w > 0) == y))
        mlflow.log_metric("accuracy", accuracy)
    print(f"accuracy {accuracy:.3f}")
"""

ONE_RUN = """\
    import mlflow
    import numpy as np

    EPOCHS = 40
    LR = 0.1

    rng = np.random.default_rng(4)
    X = rng.normal(size=(150, 2))
    y = (X[:, 0] > X[:, 1]).astype(float)
    w = np.zeros(2)
    with mlflow.start_run():
        mlflow.log_params({"EPOCHS": EPOCHS, "LR": LR})
        for epoch in range(EPOCHS):
            p = 1 / (1 + np.exp(-(X @ w)))
            w -= LR * X.T @ (p - y) / len(y)
        accuracy = float(np.mean((X @ w > 0) == y))
        mlflow.log_metric("accuracy", accuracy)
    print(f"accuracy {accuracy:.3f}")
"""

TWO_RUNS = ONE_RUN.replace(
    '    print(f"accuracy',
    '    with mlflow.start_run():\n        mlflow.log_metric("accuracy_again", accuracy)\n    print(f"accuracy',
)


def v4(candidate: str, task: str = "track-mlflow") -> list[str]:
    report = verify_candidate(textwrap.dedent(ORIGINAL), textwrap.dedent(candidate), task, AdaptOptions())
    return [str(r) for r in next(c for c in report.checks if c.id == "V4").reasons]


def test_a_run_started_inside_the_epoch_loop_is_rejected_with_the_loop_named():
    reasons = v4(RUN_PER_EPOCH)
    assert any("inside the loop `for epoch in range(EPOCHS)` starts a new run on every epoch" in r
               for r in reasons), reasons


def test_one_run_around_the_training_passes_this_rule():
    assert not any("new run" in r or "separate runs" in r for r in v4(ONE_RUN))


def test_two_top_level_runs_for_one_training_are_rejected():
    reasons = v4(TWO_RUNS)
    assert any("starts 2 separate runs" in r for r in reasons), reasons


@pytest.mark.parametrize("task", ["track-wandb"])
def test_wandb_init_inside_the_epoch_loop_is_rejected(task):
    candidate = ONE_RUN.replace("import mlflow", "import wandb").replace(
        "    with mlflow.start_run():\n        mlflow.log_params", "    if True:\n        wandb.config.update"
    ).replace("            p = 1", "            wandb.init(config={'EPOCHS': EPOCHS, 'LR': LR})\n            p = 1").replace(
        'mlflow.log_metric("accuracy", accuracy)', 'wandb.log({"accuracy": accuracy})')
    reasons = v4(candidate, task)
    assert any("`wandb.init` inside the loop" in r for r in reasons), reasons
