"""adapt(): the one core API that the CLI, the language server, the PR bot and the bench call."""

from __future__ import annotations

import ast
import hashlib
import re
import warnings

import libcst as cst

from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed, Result, Skipped
from mlops_adapt.tasks import TASKS


class InputError(Exception):
    """The user's input cannot be worked on (syntax error, unknown task, ...)."""


def parse_source(source: str, path: str | None = None) -> cst.Module:
    """Parse with libcst, turning a syntax error into an InputError carrying file:line:col."""
    from mlops_adapt.analysis.cache import TooDeeplyNested, parsed

    try:
        return parsed(source)
    except TooDeeplyNested as err:
        raise InputError(f"{path or '<source>'}:{err.line}: {err}") from None
    except cst.ParserSyntaxError as err:
        line, column, message = syntax_error_position(source, err)
        raise InputError(f"{path or '<source>'}:{line}:{column}: syntax error: {message}") from None


def syntax_error_position(source: str, err: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """One (line, 1-based column, message) for a libcst syntax error.

    libcst's own text carries two positions that disagree ("@ 3:1" and "error at 4:0"), so
    Python's parser is asked first: its position and wording ("'(' was never closed") are the
    ones users know. Only syntax Python accepts but libcst does not falls back to libcst's.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. invalid escape sequences: not our business here
            ast.parse(source)
    except SyntaxError as py_err:
        if py_err.lineno:
            return py_err.lineno, max(py_err.offset or 1, 1), py_err.msg
    except (ValueError, MemoryError, RecursionError):
        pass
    text = str(err.message).strip().splitlines()[0] if err.message else "invalid syntax"
    found = re.match(r"(?:parser|tokenizer) error: (?:error at (\d+):(\d+): )?(.*)", text)
    if found and found.group(1):
        return int(found.group(1)), int(found.group(2)) + 1, found.group(3)
    return err.raw_line, err.raw_column + 1, found.group(3) if found else text


def source_hash(source: str) -> str:
    """Content hash used as a cache key for analysis and LLM answers."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def adapt(source: str, task: str, options: AdaptOptions | None = None) -> Result:
    """Adapt `source` for `task`; never raises on bad user input, returns a Result value."""
    options = options or AdaptOptions()
    if task not in TASKS:
        return Failed(task, "input", (f"unknown task {task!r}; known tasks: {', '.join(TASKS)}",))
    try:
        parse_source(source, options.path)
    except InputError as err:
        return Failed(task, "input", (str(err),))

    recipe_result: Result | None = None
    if options.backend in ("auto", "recipe"):
        recipe_result = _adapt_with_recipe(source, task, options)
        if options.backend == "recipe" or not _llm_should_try(recipe_result):
            return recipe_result
    return _adapt_with_llm(source, task, options, recipe_result)


def _adapt_with_recipe(source: str, task: str, options: AdaptOptions) -> Result:
    """Run the task's deterministic recipe, then verify what it produced."""
    from mlops_adapt.transforms.base import run_recipe
    from mlops_adapt.verify.pipeline import verify_candidate

    outcome = run_recipe(task, source, options)
    if not isinstance(outcome, str):
        return outcome  # Skipped or Failed
    if outcome == source:
        return Skipped(task, "nothing to adapt")
    report = verify_candidate(source, outcome, task, options)
    if not report.ok:
        return Failed(task, "unverified", tuple(report.failures))
    return Applied(task, source, outcome, "recipe", report)


def _llm_should_try(recipe_result: Result) -> bool:
    """Auto mode falls back to the LLM only when the recipe could not produce a verified edit."""
    return isinstance(recipe_result, Failed) and recipe_result.kind in ("unverified", "internal")


def _adapt_with_llm(source: str, task: str, options: AdaptOptions, recipe_result: Result | None) -> Result:
    """Delegate to the LLM generator; auto mode keeps the recipe's reasons if no endpoint is set."""
    from mlops_adapt.llm import pipeline as llm_pipeline

    return llm_pipeline.adapt_with_llm(source, task, options, recipe_result)
