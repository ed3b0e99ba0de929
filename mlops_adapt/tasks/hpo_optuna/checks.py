"""V5 checks of `hpo-optuna`, inlined into the generated test: >= 2 trials completed, they
suggested at least one of the script's hyperparameters, the study's direction fits the
objective's metric, and the best params are printed.
"""

from __future__ import annotations

import pytest

# inline: drop-start
from mlops_adapt.verify.testkit import (
    DIRECTION,
    key_logged,
)

TUNABLE_NAMES: list[str] = []
# inline: drop-end


def _studies(run):
    return [e for e in run.observations if e.get("event") == "optuna.optimize"]


def test_trials_completed_and_suggested_hyperparameters(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    studies = _studies(run)
    assert studies, "no Optuna study was optimized (study.optimize never ran)"
    trials = [t for s in studies for t in s["trials"]]
    complete = [t for t in trials if t["state"] == "COMPLETE"]
    assert len(complete) >= 2, f"only {len(complete)} Optuna trial(s) completed: {[t['state'] for t in trials]}"
    suggested = sorted({name for t in complete for name in t["params"]})
    assert suggested, "the objective suggested no hyperparameter: it ignores `trial`"
    if TUNABLE_NAMES:
        # `weights[0]`, `weights[1]`: a list setting searched element by element is the setting `weights`.
        matched = [s for s in suggested if key_logged(s.split("[")[0], TUNABLE_NAMES)]
        assert matched, f"the trials suggested {suggested}, none of the script's hyperparameters {TUNABLE_NAMES}"


def test_study_direction_fits_the_metric(run):
    if DIRECTION is None:
        pytest.skip("the metric's direction cannot be told from its name")
    studies = _studies(run)
    assert studies, "no Optuna study was optimized"
    directions = {d.lower() for s in studies for d in s["directions"]}
    assert directions == {DIRECTION}, f"the study direction is {sorted(directions)}, but the objective should {DIRECTION}"


def test_best_params_are_reported(run):
    studies = _studies(run)
    assert studies, "no Optuna study was optimized"
    best = studies[-1].get("best_params") or {}
    unreported = [k for k in best if k not in run.stdout]
    assert not unreported, f"the best params are not printed: {unreported}"


# inline: drop-start
# The kept test's check (`apply --write --emit-test`): testgen copies the kept_ functions into
# that test, with verify/kept.py; the V5 test above does not carry them.
from mlops_adapt.verify.kept import ADDED_OUTPUT, SUGGESTED


def kept_side_effect(run):
    """the search printed its best hyperparameters, naming each one the objective suggests."""
    missing = [label for label in ADDED_OUTPUT if label not in run.stdout]
    assert not missing, f"the output lacks what the search prints: {missing}"
    unreported = [name for name in SUGGESTED if name not in run.stdout]
    assert not unreported, f"the best value of these suggested hyperparameters is not printed: {unreported}"
# inline: drop-end
