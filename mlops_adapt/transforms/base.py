"""The Recipe base class (a libcst codemod), recipe discovery from the task folders, and run_recipe()."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

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

    source: str | None = None  # the text `tree` was parsed from, when run through run_recipe

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Run the recipe on `tree` itself.

        libcst's Codemod wraps the tree in a MetadataWrapper, which deep-copies it; recipes that
        declare no metadata skip that, so they share the cached parse and scan (10x faster).
        """
        if self.METADATA_DEPENDENCIES:
            return super().transform_module(tree)
        tree = self.transform_module_impl(tree)
        for key, transform in (
            (AddImportsVisitor.CONTEXT_KEY, AddImportsVisitor),
            (RemoveImportsVisitor.CONTEXT_KEY, RemoveImportsVisitor),
        ):
            if key in self.context.scratch:
                tree = transform(self.context).transform_module(tree)
        return tree

    def scan(self, tree: cst.Module):
        """The (cached) scan of the tree being transformed."""
        from mlops_adapt.analysis.cache import scan_for

        return scan_for(tree, self.source)

    def option(self, key: str, default: str) -> str:
        """A --option KEY=VALUE, with its default."""
        return self.options.task_options.get(key, default)


@lru_cache(maxsize=1)
def discover_recipes() -> dict[str, type[Recipe]]:
    """The Recipe subclass in each task folder's recipe.py, by task id (KeyError-free lookups fail loudly)."""
    from mlops_adapt.tasks import TASKS, task_module

    found: dict[str, type[Recipe]] = {}
    for task_id in TASKS:
        module = task_module(task_id, "recipe")
        classes = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Recipe) and value.TASK == task_id
        ]
        if len(classes) != 1:
            raise ImportError(f"{module.__name__} must define exactly one Recipe for {task_id}")
        found[task_id] = classes[0]
    return found


def run_recipe(task: str, source: str, options: AdaptOptions) -> str | Skipped | Failed:
    """Apply the task's recipe: the new code, a Skipped (nothing to do) or a Failed."""
    from mlops_adapt.analysis.cache import TooDeeplyNested, parsed

    recipe_cls = discover_recipes()[task]
    try:
        tree = parsed(source)
    except TooDeeplyNested as err:
        return Failed(task, "input", (f"{options.path or '<source>'}:{err.line}: {err}",))
    except cst.ParserSyntaxError as err:
        return Failed(task, "input", (f"{options.path or '<source>'}:{err.raw_line}:{err.raw_column + 1}: syntax error",))
    recipe = recipe_cls(CodemodContext(filename=options.path), options)
    recipe.source = source
    try:
        # Codemod.transform_module, not libcst's runner: the runner re-parses the text.
        new_tree = recipe.transform_module(tree)
    except SkipFile as skip:
        return Skipped(task, str(skip) or "nothing to adapt")
    except Unsupported as err:
        return Failed(task, "unverified", (f"recipe cannot handle this code: {err}",))
    except Exception as err:  # a recipe bug must never take the caller down
        return Failed(task, "internal", (f"recipe error: {type(err).__name__}: {err}",))
    return new_tree.code


def parse_statements(*lines: str) -> list[cst.BaseStatement]:
    """Parse generated statements (one per string)."""
    return [cst.parse_statement(line) for line in lines]
