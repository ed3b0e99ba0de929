"""Shared planning for experiment tracking: where runs start and end, what is logged where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from mlops_adapt.analysis.exprs import code
from mlops_adapt.analysis.scan import MetricSite, ParamSite, Scan, scan_module
from mlops_adapt.transforms.base import SkipFile, Unsupported
from mlops_adapt.transforms.metric_keys import INVALID_KEY_CHARS, loop_names, prefix_for_names
from mlops_adapt.transforms.rewriter import EditPlan
from mlops_adapt.transforms.run_placement import RunPlacer
from mlops_adapt.vocabulary import RESET_VALUES, slug

# Constructors whose first call configures training; later calls (a test loader) are not settings.
DATA_OWNERS = frozenset({"DataLoader"})


class Backend:
    """How one tracking library spells runs, params and metrics."""

    library = ""

    def start(self, constants: list[tuple[str, str]]) -> list[str]:
        raise NotImplementedError

    def with_item(self, constants: list[tuple[str, str]]) -> str:
        raise NotImplementedError

    def start_params(self, constants: list[tuple[str, str]]) -> list[str]:
        raise NotImplementedError

    def end(self) -> str:
        raise NotImplementedError

    def nested_item(self, run_name: str) -> str | None:
        raise NotImplementedError

    def params(self, entries: list[tuple[str, str]], prefix: str | None) -> str:
        raise NotImplementedError

    def params_dict(self, expr: str) -> str:
        raise NotImplementedError

    def metric(self, key: str, expr: str, step: str | None, prefix: str | None) -> str:
        raise NotImplementedError

    def metrics_dict(self, expr: str, step: str | None, prefix: str | None) -> str:
        raise NotImplementedError

    def round_metrics(self, row: str, step: str) -> str:
        """Log one round of a filled history: `row` is a dict expression of that round's scores."""
        raise NotImplementedError


def curves_lines(backend: Backend, history: str, curves: str, step: str) -> list[str]:
    """Per-round scores of `{split: {metric: [values]}}` logged round by round with their step.

    Round-major, so W&B's own step only grows; keys are `split/metric` with the characters MLflow
    refuses (`ndcg@5`) replaced.
    """
    keys = (
        f'{{re.sub(r"[^\\w\\-. :/]", "_", f"{{split}}/{{metric}}"): values '
        f"for split, scores in {history}.items() for metric, values in scores.items()}}"
    )
    row = f"{{key: values[{step}] for key, values in {curves}.items() if {step} < len(values)}}"
    loop = (
        f"for {step} in range(max((len(values) for values in {curves}.values()), default=0)):\n"
        f"    {backend.round_metrics(row, step)}\n"
    )
    return [f"{curves} = {keys}", loop]


def dict_literal(entries: list[tuple[str, str]], prefix: str | None = None) -> str:
    """'{"a": a, "b": 1}' with keys optionally prefixed at run time."""
    if prefix:
        return "{" + ", ".join(f'f"{prefix}/{k}": {v}' for k, v in entries) + "}"
    return "{" + ", ".join(f'"{k}": {v}' for k, v in entries) + "}"


@dataclass
class ExistingUse:
    """How far the script already uses the tracking library."""

    imported: bool
    has_run: bool
    logs: bool


def existing_use(scan: Scan, library: str, run_calls: set[str], log_calls: set[str]) -> ExistingUse:
    """Find run and log calls of `library` already in the code."""
    names = scan.call_names
    has_run = any(n.startswith(library) and n.split(".")[-1] in run_calls for n in names)
    logs = any(n.startswith(library) and n.split(".")[-1] in log_calls for n in names)
    return ExistingUse(library in scan.imported_modules, has_run, logs)


class TrackingPlanner:
    """Turns a Scan into an EditPlan for one tracking backend."""

    def __init__(self, module: cst.Module, backend: Backend, *, lifecycle: bool, scan: Scan | None = None) -> None:
        self.module = module
        self.backend = backend
        self.lifecycle = lifecycle
        self.scan = scan or scan_module(module)
        self.plan = EditPlan()
        self.used_keys: dict[str, str] = {}
        self.needs_dataclasses = False
        self.run_first: list[str] = []  # statements at the start of the run context
        self.moved: list[ParamSite] = []  # module-level param sites logged at the run start

    def plan_tracking(self, library: str) -> EditPlan:
        """The whole tracking edit: run lifecycle, nested runs, params, metrics and imports."""
        # Evaluation results alone are worth tracking (closed-form fits, numpy-only scripts).
        if not (self.scan.trains or self.scan.metrics):
            raise SkipFile("nothing to adapt: no training code found")
        _, early = self.plan_runs()
        prefixes = self.plan_nested_runs()
        self.plan_params(early, prefixes)
        self.plan_metrics(prefixes)
        self.plan_histories()
        self.plan.add_import(library)
        if self.needs_dataclasses:
            self.plan.add_import("dataclasses")
        return self.plan

    # ------------------------------------------------------------------ runs
    def plan_runs(self, extra_anchors: tuple = ()) -> tuple[cst.CSTNode, list[ParamSite]]:
        """Place the run context; return its first statement and the param sites logged at its start.

        `extra_anchors`: statements the caller will log at (register's log_model), beyond the scan's.
        """
        scan = self.scan
        if scan.first_exec is None:
            raise Unsupported("nothing runs at module level, so there is no place to start a run")
        if not self.lifecycle:
            return scan.first_exec, []
        module_ids = {id(s) for s in self.module.body}
        # Settings defined at module level (constants, a model's literal arguments, parsed
        # arguments) can be logged at the run's start, so the run need not start at them.
        # ... but not a statement the caller logs at (`clf = SVC(C=1.0).fit(X, y)` then log_model(clf)).
        extra = {id(a) for a in extra_anchors}
        movable = [p for p in scan.params if id(p.anchor) in module_ids and id(p.anchor) not in extra]
        anchors = {id(p.anchor) for p in scan.params} | {id(m.anchor) for m in scan.metrics}
        anchors |= {id(n.loop) for n in scan.nested_runs} | {id(a) for a in extra_anchors}
        place = RunPlacer(scan, anchors, movable).place()
        constants = [p for p in place.moved if p.kind == "constant"]
        defaults = self.argparse_defaults()
        entries = [e for p in constants for e in p.entries if e[1] not in defaults]
        self.run_first = self.backend.start_params(entries)
        if is_cell_structured(self.module) and any(s is place.first for s in self.module.body):
            # A notebook (or a `# %%` cell script) runs cell by cell: a `with` around the rest of
            # it would fuse its cells into one block. Start the run in the cell that needs it and
            # end it after the last cell, as notebooks do.
            self.run_first.insert(0, self.backend.with_item(entries))
            self.plan.before[id(place.first)] = self.run_first
            self.plan.module_end.append(self.backend.end())
        else:
            self.plan.wrap_from[id(place.first)] = (self.backend.with_item(entries), self.run_first)
        # Other module-level settings defined before the run (a model's literal arguments, parsed
        # arguments) are logged at its start; plan_params writes them into run_first.
        self.moved = [p for p in place.moved if p.kind != "constant"]
        return place.first, constants

    def argparse_defaults(self) -> set[str]:
        """Constants used as `add_argument(..., default=NAME)`: logged as the parsed argument."""
        if not any(p.kind == "argparse" for p in self.scan.params):
            return set()
        names = set()
        for call in self.scan.calls_by_name.get("add_argument", []):
            for arg in call.args:
                if arg.keyword is not None and arg.keyword.value == "default" and isinstance(arg.value, cst.Name):
                    names.add(arg.value.value)
        return names

    def plan_nested_runs(self) -> dict[int, str]:
        """Wrap per-model / per-value loop bodies in nested runs; returns loop id -> key prefix."""
        prefixes: dict[int, str] = {}
        for nested in self.scan.nested_runs:
            item = self.backend.nested_item(nested.run_name)
            first = []
            if nested.param:
                first.append(self.backend.params([nested.param], None))
            if item:
                self.plan.wrap_body[id(nested.loop)] = (item, first)
            else:
                prefixes[id(nested.loop)] = nested.key_prefix
                for line in first:
                    self.plan.add_before(nested.loop.body.body[0], line)
        return prefixes

    # ------------------------------------------------------------------ params
    def plan_params(self, skip: list[ParamSite], prefixes: dict[int, str]) -> None:
        skipped = {id(p) for p in skip}
        nn_classes = self.scan.nn_modules
        sites = [
            p for p in self.scan.params
            if id(p) not in skipped
            # A layer's settings inside a model class's __init__ belong to the architecture, and
            # would be logged again (or changed) on every instantiation.
            and not (p.ctx is not None and p.ctx.cls is not None and p.ctx.cls.name.value in nn_classes)
        ]
        # One name per hyperparameter: `random_state=SEED` is SEED, already logged under its name;
        # a constant that is only an argparse default is logged with the parsed arguments.
        logged_names = {k for p in skip for k, _ in p.entries}
        for site in sites:
            if site.kind == "constant":
                logged_names |= {k for k, _ in site.entries}
        defaults = self.argparse_defaults()
        logged_pairs: set[tuple[str, str]] = set()
        # Keys a whole config logs (vars(args), asdict(cfg)) are known before any literal is seen,
        # whichever comes first in the file: a helper's DataLoader(batch_size=64) must not clash.
        for site in sites:
            for key in site.keys if site.whole else ():
                self.used_keys.setdefault(key, site.whole)
        for site in sites:
            prefix = self._prefix_for(site.ctx, prefixes)
            if site.whole:
                if site.kind == "dataclass":
                    self.needs_dataclasses = True
                for key in site.keys:
                    self.used_keys.setdefault(key, site.whole)
                line = self.backend.params_dict(site.whole)
            else:
                looped = bool(site.ctx and site.ctx.loops)
                entries = []
                for key, value in site.entries:
                    if site.kind != "constant" and value in logged_names and value != key:
                        continue
                    if site.kind == "constant" and value in defaults:
                        continue
                    if not looped and (key, value) in logged_pairs:
                        continue  # two loaders with batch_size=64: one param
                    if not looped:
                        logged_pairs.add((key, value))
                    if site.owner in DATA_OWNERS and key in self.used_keys and self.used_keys[key] != value:
                        continue  # the test loader's batch size is not the training batch size
                    entries.append((self._unique_key(key, value, site.owner), value))
                if not entries:
                    continue
                line = self.backend.params(entries, prefix)
            if any(site is m for m in self.moved):
                self.run_first.append(line)
            elif site.where == "before":
                self.plan.add_before(site.anchor, line)
            else:
                self.plan.add_after(site.anchor, line)

    def _unique_key(self, key: str, value: str, owner: str | None) -> str:
        """Keep param keys unique in a run: MLflow refuses a changed value for the same key."""
        seen = self.used_keys.get(key)
        if seen is None or seen == value:
            self.used_keys[key] = value
            return key
        qualified = f"{owner}.{key}" if owner else f"{key}_2"
        n = 2
        while qualified in self.used_keys and self.used_keys[qualified] != value:
            n += 1
            qualified = f"{owner or key}.{key}_{n}"
        self.used_keys[qualified] = value
        return qualified

    # ------------------------------------------------------------------ metrics
    def plan_metrics(self, prefixes: dict[int, str]) -> None:
        seen_sites: set[tuple[int, str]] = set()
        # One value per key and step in a loop body: `loss` and a printed `loss.item()` are one metric.
        seen_in_scope: set[tuple[str, str | None, int]] = set()
        for site in self.scan.metrics:
            marker = (id(site.anchor), site.key)
            scope = (site.key, site.step, id(site.ctx.loops[-1].node) if site.ctx and site.ctx.loops else 0)
            if marker in seen_sites or (site.step and scope in seen_in_scope) or _is_reset(site):
                continue
            seen_sites.add(marker)
            seen_in_scope.add(scope)
            prefix = self._prefix_for(site.ctx, prefixes) or _per_item_prefix(site, self.module)
            if site.kind == "dict" and site.expr.isidentifier() and any(INVALID_KEY_CHARS.search(k) for k in site.keys):
                # `{"f1 (macro)": ...}`: MLflow refuses such keys, so each entry goes under its slug.
                for key in site.keys:
                    quoted = f'"{key}"' if '"' not in key and "\\" not in key else repr(key)
                    line = self.backend.metric(slug(key) or "metric", f"{site.expr}[{quoted}]", site.step, prefix)
                    (self.plan.add_before if site.where == "before" else self.plan.add_after)(site.anchor, line)
                continue
            if site.kind == "dict" and site.expr.isidentifier():
                line = self.backend.metrics_dict(site.expr, site.step, prefix)
            else:
                line = self.backend.metric(slug(site.key) or "metric", site.expr, site.step, prefix)
            if site.where == "before":
                self.plan.add_before(site.anchor, line)
            else:
                self.plan.add_after(site.anchor, line)

    def _prefix_for(self, ctx, prefixes: dict[int, str]) -> str | None:
        if ctx is None:
            return None
        for loop in reversed(ctx.loops):
            if id(loop.node) in prefixes:
                return prefixes[id(loop.node)]
        return None

    def plan_histories(self) -> None:
        """Curves of the dicts a training call fills (`evals_result=`, `record_evaluation`), after that call."""
        for site in self.scan.histories:
            curves, step = self._free_name("curves"), self._free_name("round")
            for line in curves_lines(self.backend, site.expr, curves, step):
                self.plan.add_after(site.anchor, line)
            self.plan.add_import("re")

    def _free_name(self, word: str) -> str:
        """`_word`, or `_word_2`...: a name the script does not use, so logging rebinds nothing of it."""
        taken = self.__dict__.setdefault("_taken", set(self.scan.strings))  # the scan is cached: not mutated
        name, n = f"_{word}", 1
        while name in taken:
            n += 1
            name = f"_{word}_{n}"
        taken.add(name)
        return name

    def metric_sites(self) -> list[MetricSite]:
        return self.scan.metrics


def is_cell_structured(module: cst.Module) -> bool:
    """Whether the program is split into `# %%` cells (a notebook's code, or a cell script)."""
    comments = [line.comment for line in module.header if line.comment]
    for stmt in module.body:
        comments.extend(line.comment for line in getattr(stmt, "leading_lines", ()) if line.comment)
    return any(c.value.startswith("# %%") for c in comments)


def project_name(path: str | None, default: str = "mlops-adapt") -> str:
    """A run/project/model name derived from the script's file name."""
    if not path:
        return default
    return slug(Path(path).stem).replace("_", "-") or default


def has_statement(module: cst.Module, text: str) -> bool:
    """True when a statement with exactly this text exists at module level."""
    return any(code(s).strip() == text for s in module.body)


def _per_item_prefix(site: MetricSite, module: cst.Module) -> str | None:
    """`for name, count in per_class.items(): acc = ...`: one key per item, not one key overwritten.
    Also `for k in (5, 10):` inside an epoch: each cutoff's value at the epoch's step."""
    if not site.ctx or not site.ctx.loops:
        return None
    loop = site.ctx.loops[-1]
    if site.step and site.step in loop.targets:
        return None  # the loop's own counter is the step
    if loop.kind != "other" or not loop.targets or not isinstance(loop.node, cst.For):
        return None
    iterable = code(loop.node.iter)
    if iterable.endswith((".items()", ".keys()")) or isinstance(loop.node.iter, (cst.List, cst.Tuple)):
        return prefix_for_names(loop.targets[0], loop_names(loop.node, module))
    return None


def _is_reset(site: MetricSite) -> bool:
    """A site right after `best_acc = 0.0`: the start value of a result, not the result."""
    anchor = site.anchor
    if site.where != "after" or not isinstance(anchor, cst.SimpleStatementLine):
        return False
    return any(
        isinstance(small, cst.Assign) and code(small.value).strip() in RESET_VALUES for small in anchor.body
    )
