"""The unbiased pass@k estimator (Chen et al. 2021) and the paper's reference scores."""

from __future__ import annotations

from math import comb

# Patel et al. 2024, best settings, Pass@3: (gpt-3.5-turbo, WizardCoder-15B), in percent, per
# task group; which tasks belong to a group is each task's SPEC.paper_group.
_PAPER_SCORES = {
    "model optimization": {"gpt-3.5-turbo": 55.0, "WizardCoder": 0.0},
    "experiment tracking": {"gpt-3.5-turbo": 100.0, "WizardCoder": 62.5},
    "model registration": {"gpt-3.5-turbo": 92.0, "WizardCoder": 42.0},
    "hyperparameter optimization": {"gpt-3.5-turbo": 83.0, "WizardCoder": 58.0},
}


def _paper_reference() -> dict[str, dict]:
    """The paper's scores with the task ids of each group, read from the task specs."""
    from mlops_adapt.tasks import TASKS

    return {
        group: {"tasks": tuple(t for t, spec in TASKS.items() if spec.paper_group == group), **scores}
        for group, scores in _PAPER_SCORES.items()
    }


PAPER_REFERENCE = _paper_reference()


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn from n (c correct) is correct."""
    if n <= 0:
        return 0.0
    k = min(k, n)  # fewer samples than k: the estimate for all of them
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)
