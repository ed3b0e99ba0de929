"""The Scan container and the sites it records: hyperparameters, metrics, nested runs, trained models."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import libcst as cst

from mlops_adapt.analysis.exprs import calls_in, last_name, statement_blocks

Statement = cst.BaseStatement


@dataclass
class Loop:
    """An enclosing loop, as seen from a statement inside it."""

    node: cst.For | cst.While
    step_var: str | None  # an integer counter (epoch / fold index)
    kind: Literal["epoch", "batch", "models", "sweep", "other"]
    targets: tuple[str, ...] = ()


@dataclass
class Ctx:
    """Where a statement sits: function, class, loops and block."""

    function: cst.FunctionDef | None = None
    cls: cst.ClassDef | None = None
    loops: tuple[Loop, ...] = ()

    @property
    def module_level(self) -> bool:
        return self.function is None and self.cls is None

    def with_loop(self, loop: Loop) -> Ctx:
        return Ctx(self.function, self.cls, self.loops + (loop,))


@dataclass
class ParamSite:
    """Hyperparameters to log at one statement."""

    anchor: Statement
    where: Literal["before", "after"]
    kind: str  # constant | argparse | config-dict | config-class | dataclass | ctor-kwarg | sweep | local
    entries: list[tuple[str, str]] = field(default_factory=list)  # (key, value expression)
    whole: str | None = None  # an expression that evaluates to a dict of params
    keys: list[str] = field(default_factory=list)  # keys `whole` will produce, when known
    owner: str | None = None
    line: int = 0
    ctx: Ctx | None = None


@dataclass
class MetricSite:
    """An evaluation result to log at one statement."""

    anchor: Statement
    where: Literal["before", "after"]
    key: str
    expr: str
    kind: Literal["variable", "dict", "printed", "cv"]
    step: str | None
    line: int
    ctx: Ctx
    keys: list[str] = field(default_factory=list)  # for dict sites: the known keys


@dataclass
class NestedRun:
    """A loop whose iterations are separate experiments (models compared, a sweep)."""

    loop: cst.For
    run_name: str  # expression
    param: tuple[str, str] | None  # (key, expression) for a sweep variable
    key_prefix: str = ""  # f-string body naming the iteration, e.g. "{name}" or "C={C}"


@dataclass
class TrainedModel:
    """A model object that gets trained, and the statement after which it is trained."""

    var: str
    constructor: str
    framework: str
    defined_at: Statement
    trained_after: Statement | None
    line: int
    trained_line: int | None
    ctx: Ctx


@dataclass
class Scan:
    """Everything one pass found, with node references for recipes."""

    module: cst.Module
    imports: dict[str, str]  # local name -> qualified name
    imported_modules: set[str]
    params: list[ParamSite] = field(default_factory=list)
    metrics: list[MetricSite] = field(default_factory=list)
    # Dicts a training call fills with per-round scores ({split: {metric: [values]}}), logged as
    # curves after that call; kept apart from `metrics`, which name one result each.
    histories: list[MetricSite] = field(default_factory=list)
    nested_runs: list[NestedRun] = field(default_factory=list)
    models: list[TrainedModel] = field(default_factory=list)
    artifacts: list[tuple[str, str | None, str | None, int, Statement]] = field(default_factory=list)
    main_guard: cst.If | None = None
    first_exec: Statement | None = None  # first module-level statement that does work
    torch_loops: list[tuple[int, str | None]] = field(default_factory=list)
    fit_lines: list[int] = field(default_factory=list)
    update_loops: list[int] = field(default_factory=list)  # epoch loops updating weights in place (numpy GD)
    cv_lines: list[int] = field(default_factory=list)
    git_calls: list[tuple[str, int, tuple[str, ...]]] = field(default_factory=list)
    positions: dict = field(default_factory=dict)
    nn_modules: set[str] = field(default_factory=set)  # classes deriving from nn.Module
    trainer_funcs: set[str] = field(default_factory=set)  # functions that train something
    call_names: set[str] = field(default_factory=set)  # dotted names of every call, imports resolved
    argparse_options: dict = field(default_factory=dict)  # dest -> hyperparams.ArgparseOption
    dataclass_defaults: dict = field(default_factory=dict)  # class -> (field -> literal default, frozen)
    strings: set[str] = field(default_factory=set)  # short string literals and every name used
    source: str = ""  # the text the scan read (the module's code when no text was given)

    @cached_property
    def blocks(self) -> list[tuple[list, cst.FunctionDef | None]]:
        """Every statement list with its enclosing function (exprs.statement_blocks), listed once."""
        return list(statement_blocks(self.module))

    @cached_property
    def calls_by_name(self) -> dict[str, list[cst.Call]]:
        """Every call in the module (lambda bodies included), by the last part of the called name."""
        index: dict[str, list[cst.Call]] = {}
        for call in calls_in(self.module, lambdas=True):
            index.setdefault(last_name(call) or "", []).append(call)
        return index

    @property
    def trains(self) -> bool:
        """True when the script trains something (or runs an epoch loop that reports metrics)."""
        return bool(self.fit_lines or self.torch_loops or self.cv_lines or self.update_loops) or bool(
            self.metrics and any(m.step for m in self.metrics)
        )

    def line_of(self, node: cst.CSTNode | None) -> int:
        return self.positions.get(id(node), 0)

