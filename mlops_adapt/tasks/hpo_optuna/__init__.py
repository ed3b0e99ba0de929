"""Task `hpo-optuna`: tune hyperparameters with an Optuna study."""

from __future__ import annotations

from mlops_adapt.applicability import Signals, trains
from mlops_adapt.tasks.spec import TaskSpec


def applies(sig: Signals) -> bool:
    """Does this file look like it wants `hpo-optuna`?"""
    return trains(sig) and "optuna" not in sig.imports


SPEC = TaskSpec(
    id="hpo-optuna",
    kind="inline",
    target="Optuna",
    library="optuna",
    title="Tune hyperparameters with an Optuna study",
    applies=applies,
    options={"n_trials": "how many Optuna trials the study runs"},
    order=2,
    paper_group="hyperparameter optimization",
    output_numbers_may_change=True,
)
