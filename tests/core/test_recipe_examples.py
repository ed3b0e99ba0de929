"""Every recipe's EXAMPLES and NOOP cases: exact output, parses, idempotent, no-ops untouched."""

import textwrap

import libcst as cst
import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.transforms.base import discover_recipes, run_recipe

RECIPES = discover_recipes()
EXAMPLES = [
    pytest.param(task, i, example, id=f"{task}-{i}")
    for task, recipe in sorted(RECIPES.items())
    for i, example in enumerate(recipe.EXAMPLES)
]
NOOPS = [
    pytest.param(task, textwrap.dedent(src).lstrip("\n"), id=f"{task}-noop-{i}")
    for task, recipe in sorted(RECIPES.items())
    for i, src in enumerate(recipe.NOOP)
]


def apply(task: str, source: str, options=()) -> str:
    result = run_recipe(task, source, AdaptOptions(task_options=dict(options)))
    return result if isinstance(result, str) else source


def test_every_task_with_a_recipe_has_examples():
    assert RECIPES, "no recipe was discovered"
    for task, recipe in RECIPES.items():
        assert recipe.EXAMPLES, f"{task} has no EXAMPLES"
        assert recipe.DESCRIPTION and recipe.__doc__, f"{task} lacks a description or docstring"


@pytest.mark.parametrize(("task", "index", "example"), EXAMPLES)
def test_example_output_parses_and_is_idempotent(task, index, example):
    output = apply(task, example.source, example.options)
    assert output == example.expected
    cst.parse_module(output)
    assert apply(task, output, example.options) == output, "a second application changed the code"


@pytest.mark.parametrize(("task", "source"), NOOPS)
def test_noop_cases_stay_untouched(task, source):
    assert apply(task, source) == source
