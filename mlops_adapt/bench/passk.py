"""The unbiased pass@k estimator (Chen et al. 2021) and the paper's reference scores."""

from __future__ import annotations

from math import comb

# Patel et al. 2024, best settings, Pass@3: (gpt-3.5-turbo, WizardCoder-15B), in percent.
PAPER_REFERENCE = {
    "model optimization": {
        "tasks": ("optimize-prune", "optimize-quantize"),
        "gpt-3.5-turbo": 55.0,
        "WizardCoder": 0.0,
    },
    "experiment tracking": {
        "tasks": ("track-mlflow", "track-wandb"),
        "gpt-3.5-turbo": 100.0,
        "WizardCoder": 62.5,
    },
    "model registration": {
        "tasks": ("register-mlflow",),
        "gpt-3.5-turbo": 92.0,
        "WizardCoder": 42.0,
    },
    "hyperparameter optimization": {
        "tasks": ("hpo-optuna",),
        "gpt-3.5-turbo": 83.0,
        "WizardCoder": 58.0,
    },
}


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn from n (c correct) is correct."""
    if n <= 0:
        return 0.0
    k = min(k, n)  # fewer samples than k: the estimate for all of them
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)
