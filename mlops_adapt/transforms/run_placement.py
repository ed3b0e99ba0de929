"""Where a tracking run goes: the statement a `with <run>:` context starts at, never on import.

The run wraps the script's work from the first statement that logs (or calls a function that
logs) to the end of that statement list, so a crash ends the run FAILED. It starts after the
script's own configuration (`mlflow.set_experiment`, `matplotlib.use`), inside the main guard when
nothing before the guard logs, and inside the function the guard exits with (`sys.exit(main())`),
since a `with` around `sys.exit` would record even exit code 0 as FAILED.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from mlops_adapt.analysis.exprs import block_body, calls_in, dotted, last_name, main_guard_exits
from mlops_adapt.analysis.scan import Scan
from mlops_adapt.transforms.base import Unsupported
from mlops_adapt.vocabulary import TRAIN_METHODS

# `scaler.fit_transform(X)` prepares data; it does not train the model the run is about.
TRAIN_CALLS = frozenset(TRAIN_METHODS) - {"fit_transform"}

# Calls that configure the tracking library; the run must start after them.
CONFIG_CALLS = frozenset({
    "mlflow.set_tracking_uri", "mlflow.set_experiment", "mlflow.set_registry_uri",
    "mlflow.set_experiment_tag", "mlflow.set_experiment_tags", "wandb.login", "wandb.setup",
})


@dataclass
class RunPlace:
    """The run's home: the statement list it wraps from `first` on, and module-level sites to move in."""

    first: cst.BaseStatement
    block: list  # the statement list `first` belongs to
    function: cst.FunctionDef | None  # the function whose body holds the run, if any
    moved: list  # module-level ParamSites that sit before `first`, logged at the run start


def _all_statement_ids(stmt: cst.CSTNode) -> set[int]:
    """Ids of a statement and every statement inside it (not entering defs)."""
    from mlops_adapt.analysis.exprs import all_statements

    ids = {id(stmt)}
    if not isinstance(stmt, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
        ids |= {id(s) for s in all_statements([stmt])}
    return ids


class RunPlacer:
    """Finds the RunPlace for a scan and the anchors of the statements to be logged."""

    def __init__(self, scan: Scan, anchors: set[int], movable: list) -> None:
        self.scan = scan
        self.module = scan.module
        self.anchors = anchors  # ids of statements that get (or hold) a log call
        self.movable = movable  # module-level ParamSites that may be logged at the run start
        self.functions = {
            s.name.value: s for s in self.module.body if isinstance(s, cst.FunctionDef)
        }
        self.logging_names = self._logging_functions()
        # `pipe = make_pipeline(spline_features(12), Ridge(alpha=1.0))`: a setting that calls a
        # helper which logs is work in the run, not a setting to log at its start; else the
        # helper logs before the run exists (MLflow then starts a run of its own).
        self.movable = [p for p in movable if not self._calls_logging(p.anchor)]

    def _logging_functions(self) -> set[str]:
        """Names of functions, classes and methods whose bodies hold anchors, closed over calls."""
        owners: dict[str, cst.CSTNode] = {}
        for stmt in self.module.body:
            if isinstance(stmt, cst.FunctionDef):
                owners[stmt.name.value] = stmt
            elif isinstance(stmt, cst.ClassDef):
                owners[stmt.name.value] = stmt
                for inner in block_body(stmt.body):
                    if isinstance(inner, cst.FunctionDef) and not inner.name.value.startswith("__"):
                        owners[inner.name.value] = inner
        found = {name for name, node in owners.items() if self._holds_anchor(node)}
        changed = True
        while changed:
            changed = False
            for name, node in owners.items():
                if name not in found and any(last_name(c) in found for c in calls_in(node)):
                    found.add(name)
                    changed = True
        return found

    def _calls_logging(self, stmt: cst.CSTNode) -> bool:
        """The statement calls a module-level function that logs (building one of the script's
        classes runs only its __init__, which a logging `fit` does not make work)."""
        return any((name := last_name(c)) in self.logging_names and name in self.functions for c in calls_in(stmt))

    def _holds_anchor(self, node: cst.CSTNode) -> bool:
        from mlops_adapt.analysis.exprs import all_statements

        body = node.body if isinstance(node, (cst.FunctionDef, cst.ClassDef)) else node
        return any(id(s) in self.anchors for s in all_statements(body))

    def needs_run(self, stmt: cst.BaseStatement) -> bool:
        """The statement logs, trains, or calls something that does."""
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return False
        if _all_statement_ids(stmt) & self.anchors:
            return True
        names = {last_name(c) for c in calls_in(stmt)}
        return bool(names & (self.logging_names | self.scan.trainer_funcs | TRAIN_CALLS)) or (
            "backward" in names
        )

    def place(self) -> RunPlace:
        body = list(self.module.body)
        guard = self.scan.main_guard
        movable_ids = {id(p.anchor) for p in self.movable}
        work = [
            s for s in body
            if s is not guard and id(s) not in movable_ids and self.needs_run(s)
        ]
        if not work and guard is not None:
            return self._in_guard(guard)
        if not work:
            raise Unsupported("no statement logs anything, so there is no place to start a run")
        first = work[0]
        self._after_config(body, first)
        if guard is not None and main_guard_exits(guard) and self.needs_run(guard):
            raise Unsupported(
                "the script trains on import and then exits from its main guard: a run around both "
                "would record exit code 0 as FAILED"
            )
        return RunPlace(first, body, None, self._moved_before(body, first))

    def _in_guard(self, guard: cst.If) -> RunPlace:
        block = block_body(guard.body)
        if main_guard_exits(guard):
            return self._in_exiting_function(guard, block)
        first = next((s for s in block if self.needs_run(s)), block[0])
        self._after_config(block, first)
        return RunPlace(first, block, None, self._moved_before(list(self.module.body), guard))

    def _in_exiting_function(self, guard: cst.If, block: list) -> RunPlace:
        """`sys.exit(main())`: the run goes inside main(), so the exit itself is no failure."""
        exit_stmt = block[-1]
        called = [c for c in calls_in(exit_stmt) if last_name(c) in self.functions]
        if len(called) != 1:
            raise Unsupported("the main guard exits with sys.exit(...) around no single local function")
        if any(self.needs_run(s) for s in block[:-1]):
            raise Unsupported(
                "the main guard logs before it exits with sys.exit(main()): a run around sys.exit "
                "would record exit code 0 as FAILED"
            )
        func = self.functions[last_name(called[0]) or ""]
        inner = block_body(func.body)
        if not inner:
            raise Unsupported(f"{func.name.value}() has a one-line body")
        first = next((s for s in inner if self.needs_run(s)), inner[0])
        first = self._skip_docstring(inner, first)
        self._after_config(inner, first)
        moved = self._moved_before(list(self.module.body), guard)
        bound = _bound_names(func)
        for site in moved:
            if any(v in bound for _, v in site.entries):
                raise Unsupported(f"{func.name.value}() rebinds a module-level hyperparameter it would log")
        return RunPlace(first, inner, func, moved)

    @staticmethod
    def _skip_docstring(block: list, first):
        from mlops_adapt.analysis.exprs import is_docstring

        if first is block[0] and isinstance(first, cst.SimpleStatementLine) and is_docstring(first.body[0]):
            return block[1] if len(block) > 1 else first
        return first

    def _after_config(self, block: list, first) -> None:
        """The run may not start before the script's own tracking configuration."""
        index = next(i for i, s in enumerate(block) if s is first)
        for stmt in block[index:]:
            if any(dotted(c.func) in CONFIG_CALLS for c in calls_in(stmt)):
                raise Unsupported(
                    "the script configures its tracking (set_experiment / set_tracking_uri) after "
                    "work that must be logged"
                )

    def _moved_before(self, body: list, first) -> list:
        """Movable module-level param sites anchored before `first`."""
        index = {id(s): i for i, s in enumerate(body)}
        limit = index.get(id(first), len(body))
        return [p for p in self.movable if index.get(id(p.anchor), limit) < limit]


def _bound_names(func: cst.FunctionDef) -> set[str]:
    from mlops_adapt.analysis.exprs import all_statements, assigned_names

    bound: set[str] = set()
    for stmt in all_statements(func.body):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign):
                    for t in small.targets:
                        bound |= set(assigned_names(t.target))
                elif isinstance(small, (cst.AugAssign, cst.AnnAssign)) and isinstance(small.target, cst.Name):
                    bound.add(small.target.value)
    return bound
