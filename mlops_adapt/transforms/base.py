"""The Recipe base class (a libcst codemod), recipe discovery, and run_recipe()."""

from __future__ import annotations

import importlib
import pkgutil
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import libcst as cst
from libcst.codemod import (
    CodemodContext,
    SkipFile,
    TransformFailure,
    TransformSkip,
    TransformSuccess,
    VisitorBasedCodemodCommand,
    transform_module,
)

from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Failed, Skipped

__all__ = ["Example", "Recipe", "SkipFile", "Unsupported", "discover_recipes", "run_recipe"]


class Unsupported(Exception):
    """The code has the task's shape, but not one this recipe can edit safely."""


@dataclass(frozen=True)
class Example:
    """A before/after pair; both are dedented by the test harness."""

    before: str
    after: str
    options: tuple[tuple[str, str], ...] = ()

    @property
    def source(self) -> str:
        return textwrap.dedent(self.before).lstrip("\n")

    @property
    def expected(self) -> str:
        return textwrap.dedent(self.after).lstrip("\n")


class Recipe(VisitorBasedCodemodCommand):
    """Base of every recipe: one task, its description, its examples and its no-op cases."""

    TASK: ClassVar[str] = ""
    DESCRIPTION: ClassVar[str] = ""
    EXAMPLES: ClassVar[list[Example]] = []
    NOOP: ClassVar[list[str]] = []

    def __init__(self, context: CodemodContext, options: AdaptOptions | None = None) -> None:
        super().__init__(context)
        self.options = options or AdaptOptions()

    def option(self, key: str, default: str) -> str:
        """A --option KEY=VALUE, with its default."""
        return self.options.task_options.get(key, default)


@lru_cache(maxsize=1)
def discover_recipes() -> dict[str, type[Recipe]]:
    """Import every module in mlops_adapt.transforms and collect its Recipe subclasses by task id."""
    import mlops_adapt.transforms as package

    found: dict[str, type[Recipe]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Recipe) and value is not Recipe and value.TASK:
                found[value.TASK] = value
    return found


def run_recipe(task: str, source: str, options: AdaptOptions) -> str | Skipped | Failed:
    """Apply the task's recipe: the new code, a Skipped (nothing to do) or a Failed."""
    recipe_cls = discover_recipes().get(task)
    if recipe_cls is None:
        return Failed(task, "unverified", (f"no recipe exists yet for {task}",))
    context = CodemodContext(filename=options.path)
    result = transform_module(recipe_cls(context, options), source)
    if isinstance(result, TransformSuccess):
        return result.code
    if isinstance(result, TransformSkip):
        return Skipped(task, result.skip_description or "nothing to adapt")
    assert isinstance(result, TransformFailure)
    if isinstance(result.error, Unsupported):
        return Failed(task, "unverified", (f"recipe cannot handle this code: {result.error}",))
    return Failed(task, "internal", (f"recipe error: {type(result.error).__name__}: {result.error}",))


def parse_statements(*lines: str) -> list[cst.BaseStatement]:
    """Parse generated statements (one per string)."""
    return [cst.parse_statement(line) for line in lines]
