"""Placeholder LLM path: reports that no endpoint is configured (replaced by the LLM issue)."""

from __future__ import annotations

from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Failed, Result


def adapt_with_llm(source: str, task: str, options: AdaptOptions, recipe_result: Result | None) -> Result:
    """Return the recipe's failure, or say that no LLM backend is available."""
    if isinstance(recipe_result, Failed):
        return recipe_result
    return Failed(task, "unverified", ("no LLM endpoint is configured",))
