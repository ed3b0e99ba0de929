"""One read-only pass over a module that records, with their statements, the sites recipes edit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import (
    assigned_names,
    call_name,
    calls_in,
    code,
    dotted,
    is_literal,
    iter_nodes,
    last_name,
    names_in,
    nodes_of,
    receiver,
    string_value,
)
from mlops_adapt.analysis.lines import statement_lines

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

    @property
    def trains(self) -> bool:
        """True when the script trains something (or runs an epoch loop that reports metrics)."""
        return bool(self.fit_lines or self.torch_loops or self.cv_lines or self.update_loops) or bool(
            self.metrics and any(m.step for m in self.metrics)
        )

    def line_of(self, node: cst.CSTNode | None) -> int:
        return self.positions.get(id(node), 0)


_SAVE_CALLS = {
    "joblib.dump": "joblib", "dump": "joblib", "pickle.dump": "pickle", "torch.save": "torch",
    "np.save": "numpy", "numpy.save": "numpy", "np.savez": "numpy",
}
_PRINT_LIKE = re.compile(r"^(print|tqdm\.write|(logging|logger|log|LOGGER|_logger|self\.logger)\.(info|debug|warning))$")
_PURE_CALLS = frozenset({"item", "float", "int", "round", "len", "sum", "abs", "max", "min", "mean", "std"})
_NON_SCALAR_METHODS = frozenset(
    {"predict", "predict_proba", "predict_log_proba", "transform", "decision_function", "forward",
     "numpy", "tolist", "detach", "cpu", "argmax", "reshape", "view"}
)
_REDUCTIONS = frozenset({"item", "mean", "sum", "max", "min", "std", "median", "score"})
_STEP_NAMES = re.compile(r"^(epoch|ep|e|i|it|iter|iteration|step|fold|k|round|n_iter|idx|t|epoch_idx|epoch_num)$")
_BATCH_ITER = re.compile(r"loader|batch|dataset|zip\(|_iter|iterator", re.IGNORECASE)
_FLOAT_SPEC = re.compile(r"^[^}]*[.\d]*[efgEFG%]$")


def _is_float_spec(spec: str | None) -> bool:
    return bool(spec) and bool(re.search(r"\.\d+[efgEFG%]?$|[efgEFG%]$", spec or ""))


class Scanner:
    """Walks a module's statements with their context and fills a Scan."""

    def __init__(self, module: cst.Module, source: str | None = None) -> None:
        lines = statement_lines(module, source if source is not None else module.code)
        self.scan = Scan(module, {}, set(), positions=lines)
        self.functions: dict[str, cst.FunctionDef] = {}
        self.methods: dict[tuple[str, str], cst.FunctionDef] = {}  # (class, method) -> def
        self.dict_returns: dict[str, list[tuple[str, cst.BaseExpression]]] = {}
        self.scalar_returns: set[str] = set()
        self.tuple_returns: dict[str, list[bool]] = {}
        self.dataclasses: dict[str, list[str]] = {}
        self.argparse_dests: list[str] = []
        self.float_printed: set[str] = set()
        self.metric_vars: set[str] = set()
        self.cv_vars: set[str] = set()
        self.module_const_names: set[str] = set()
        self.nn_modules: set[str] = set()
        self.trainer_funcs: set[str] = set()
        self.classes: set[str] = set()
        self.config_classes: dict[str, list[str]] = {}  # plain classes holding literal settings
        self.training_classes: set[str] = set()
        self.call_counts: dict[str, int] = {}
        self.bare_calls: dict[str, int] = {}  # calls whose result is thrown away, by short name

    # ---------------------------------------------------------------- entry
    def run(self) -> Scan:
        module = self.scan.module
        self._collect(module)
        self._module_level(module)
        self._walk_block(module.body, Ctx())
        self.scan.call_names = {self.qualify(n) or n for n in self.scan.call_names}
        self.scan.nn_modules = self.nn_modules
        self.scan.trainer_funcs = self.trainer_funcs
        return self.scan

    # ---------------------------------------------------------------- pre-pass
    def _collect(self, module: cst.Module) -> None:
        """One pass over every node: imports, definitions, call counts, float-formatted values."""
        for node in iter_nodes(module):
            if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
                bare = last_name(node.value) or ""
                self.bare_calls[bare] = self.bare_calls.get(bare, 0) + 1
            if isinstance(node, cst.Call):
                short = last_name(node) or ""
                self.call_counts[short] = self.call_counts.get(short, 0) + 1
                full = call_name(node)
                if full:
                    self.scan.call_names.add(full)
                if short == "add_argument":
                    dest = _argparse_dest(node)
                    if dest:
                        self.argparse_dests.append(dest)
            elif isinstance(node, cst.FormattedStringExpression):
                if node.format_spec and _is_float_spec("".join(code(p) for p in node.format_spec)):
                    self.float_printed.add(code(node.expression))
            elif isinstance(node, cst.FunctionDef):
                self.functions.setdefault(node.name.value, node)
                self._inspect_returns(node)
                if _contains_training(node) or _updates_in_loop(node):
                    self.trainer_funcs.add(node.name.value)
            elif isinstance(node, cst.ClassDef):
                self._class(node)
            elif isinstance(node, (cst.Import, cst.ImportFrom)):
                self._import(node)
        # A function that calls a trainer function trains too (one level is enough in practice).
        for name, node in self.functions.items():
            if any(last_name(c) in self.trainer_funcs for c in calls_in(node.body)):
                self.trainer_funcs.add(name)

    def _import(self, node: cst.Import | cst.ImportFrom) -> None:
        imports, modules = self.scan.imports, self.scan.imported_modules
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted(alias.name) or ""
                modules.add(full.split(".")[0])
                if alias.asname:
                    imports[dotted(alias.asname.name) or full] = full
                else:
                    imports[full.split(".")[0]] = full.split(".")[0]
            return
        base = dotted(node.module) if node.module else ""
        if base:
            modules.add(base.split(".")[0])
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted(alias.name) or ""
            local = dotted(alias.asname.name) if alias.asname else name
            imports[local or name] = f"{base}.{name}" if base else name

    def _class(self, node: cst.ClassDef) -> None:
        self.classes.add(node.name.value)
        for stmt in _block_body(node.body):
            if isinstance(stmt, cst.FunctionDef):
                self.methods[(node.name.value, stmt.name.value)] = stmt
        if _contains_training(node.body):
            self.training_classes.add(node.name.value)
        decorators = {code(d.decorator).split("(")[0] for d in node.decorators}
        if decorators & {"dataclass", "dataclasses.dataclass"}:
            fields = []
            for stmt in _block_body(node.body):
                if isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                            fields.append(small.target.value)
            self.dataclasses[node.name.value] = fields
        elif _CONFIG_CLASS.search(node.name.value):
            attrs = _literal_class_attrs(node)
            if attrs:
                self.config_classes[node.name.value] = attrs
        bases = {code(b.value) for b in node.bases}
        if any(b.endswith("Module") for b in bases):
            self.nn_modules.add(node.name.value)

    def qualify(self, name: str | None) -> str | None:
        """Resolve a dotted local name through the imports."""
        if not name:
            return None
        head, _, rest = name.partition(".")
        full = self.scan.imports.get(head)
        if full is None:
            return name
        return f"{full}.{rest}" if rest else full

    def _inspect_returns(self, func: cst.FunctionDef) -> None:
        local_dicts: dict[str, cst.Dict] = {}
        for stmt in _all_statements(func.body):
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and isinstance(small.value, cst.Dict):
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                local_dicts[t.target.value] = small.value
                    if isinstance(small, cst.Return) and small.value is not None:
                        value = small.value
                        if isinstance(value, cst.Name) and value.value in local_dicts:
                            value = local_dicts[value.value]
                        name = func.name.value
                        if isinstance(value, cst.Dict):
                            entries = [
                                (string_value(el.key), el.value)
                                for el in value.elements
                                if isinstance(el, cst.DictElement) and string_value(el.key)
                            ]
                            if entries:
                                self.dict_returns[name] = entries  # type: ignore[assignment]
                        elif isinstance(value, cst.Tuple):
                            self.tuple_returns[name] = [_scalar_evidence(e.value) for e in value.elements]
                        elif _scalar_evidence(value):
                            self.scalar_returns.add(name)

    def _module_level(self, module: cst.Module) -> None:
        """Module constants, the main guard and the first statement that does work."""
        counts: dict[str, int] = {}
        for stmt in module.body:
            for name in _statement_targets(stmt):
                counts[name] = counts.get(name, 0) + 1
        globals_in_functions = {
            n.value for f in self.functions.values() for g in _globals(f) for n in [g]
        }
        for stmt in module.body:
            if _is_main_guard(stmt):
                self.scan.main_guard = stmt  # type: ignore[assignment]
                if self.scan.first_exec is None:
                    self.scan.first_exec = stmt
                continue
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            if isinstance(stmt, cst.SimpleStatementLine):
                const = _constant(stmt)
                default = _overridable_default(const[1]) if const else None
                # EPOCHS = int(sys.argv[1]) if ... else 40: a hyperparameter with a default
                if default is not None and counts.get(const[0]) == 1 and _hyperparam_name(const[0], default):
                    self.module_const_names.add(const[0])
                if all(_is_declarative(s) for s in stmt.body):
                    const = _constant(stmt)
                    if const and counts.get(const[0]) == 1 and const[0] not in globals_in_functions:
                        if _hyperparam_name(const[0], const[1]):
                            self.module_const_names.add(const[0])
                    continue
            if self.scan.first_exec is None:
                self.scan.first_exec = stmt

    # ---------------------------------------------------------------- the walk
    def _walk_block(self, body, ctx: Ctx) -> None:
        local_groups: list[Statement] = []
        for stmt in body:
            if isinstance(stmt, cst.SimpleStatementLine):
                self._simple_line(stmt, ctx, local_groups)
            elif isinstance(stmt, cst.FunctionDef):
                inner = Ctx(stmt, ctx.cls, ())
                self._function_defaults(stmt, ctx)
                self._walk_block(_block_body(stmt.body), inner)
            elif isinstance(stmt, cst.ClassDef):
                self._walk_block(_block_body(stmt.body), Ctx(None, stmt, ()))
            elif isinstance(stmt, cst.For):
                self._for(stmt, ctx)
            elif isinstance(stmt, cst.While):
                step = _while_counter(stmt)
                kind = "epoch" if step and not _in_epoch(ctx) else "other"
                self._walk_block(_block_body(stmt.body), ctx.with_loop(Loop(stmt, step, kind)))
            elif isinstance(stmt, cst.If):
                self._walk_block(_block_body(stmt.body), ctx)
                orelse = stmt.orelse
                while orelse is not None:
                    self._walk_block(_block_body(orelse.body), ctx)
                    orelse = orelse.orelse if isinstance(orelse, cst.If) else None
            elif isinstance(stmt, cst.With):
                self._walk_block(_block_body(stmt.body), ctx)
            elif isinstance(stmt, cst.Try):
                self._walk_block(_block_body(stmt.body), ctx)
                for handler in stmt.handlers:
                    self._walk_block(_block_body(handler.body), ctx)
                for extra in (stmt.orelse, stmt.finalbody):
                    if extra is not None:
                        self._walk_block(_block_body(extra.body), ctx)
            self._detect_training(stmt, ctx)
        self._flush_locals(local_groups, ctx)

    def _for(self, stmt: cst.For, ctx: Ctx) -> None:
        targets = tuple(assigned_names(stmt.target))  # type: ignore[arg-type]
        iter_code = code(stmt.iter)
        step = None
        if isinstance(stmt.iter, cst.Call) and call_name(stmt.iter) in ("range", "enumerate", "tqdm.trange", "trange"):
            first = stmt.target.elements[0].value if isinstance(stmt.target, cst.Tuple) else stmt.target
            step = first.value if isinstance(first, cst.Name) else None
        elif isinstance(stmt.iter, cst.Call) and call_name(stmt.iter) in ("tqdm", "tqdm.tqdm"):
            inner = stmt.iter.args[0].value if stmt.iter.args else None
            if isinstance(inner, cst.Call) and call_name(inner) == "range" and isinstance(stmt.target, cst.Name):
                step = stmt.target.value
        trains = _contains_training(stmt.body) or any(
            last_name(c) in self.trainer_funcs for c in calls_in(stmt.body)
        )
        kind: str = "other"
        if _in_epoch(ctx) or (_has_backward(stmt.body) and _BATCH_ITER.search(iter_code) and not _in_models(ctx)):
            kind = "batch"
        elif step and trains or step and call_name(stmt.iter) == "range" and _STEP_NAMES.match(step or ""):
            kind = "epoch"
        elif trains and not _in_models(ctx) and self._experiment_iterable(stmt):
            kind = "sweep" if _literal_sequence(stmt.iter, self) else "models"
            name_var = targets[0] if targets else None
            if kind == "sweep" and name_var:
                run_name = f'f"{name_var}={{{name_var}}}"'
                self.scan.nested_runs.append(
                    NestedRun(stmt, run_name, (name_var, name_var), f"{name_var}={{{name_var}}}")
                )
            elif name_var:
                iterable_items = iter_code.endswith(".items()")
                run_name = f"str({name_var})" if iterable_items or len(targets) > 1 else f"type({name_var}).__name__"
                prefix = f"{{{name_var}}}" if iterable_items or len(targets) > 1 else f"{{type({name_var}).__name__}}"
                self.scan.nested_runs.append(NestedRun(stmt, run_name, None, prefix))
        elif trains and _sweeps_only(ctx) and len(targets) == 1 and _literal_sequence(stmt.iter, self):
            # for lr in (...): for depth in (...): one child run per depth inside each lr run
            kind, name_var = "sweep", targets[0]
            outer = next(n for n in reversed(self.scan.nested_runs) if n.loop is ctx.loops[-1].node)
            self.scan.nested_runs.append(NestedRun(
                stmt, f'f"{name_var}={{{name_var}}}"', (name_var, name_var),
                f"{outer.key_prefix}/{name_var}={{{name_var}}}",
            ))
        if kind == "batch":
            step = None
        if kind == "epoch" and _updates_in_place(stmt.body):
            self.scan.update_loops.append(self.scan.line_of(stmt))
        self._walk_block(_block_body(stmt.body), ctx.with_loop(Loop(stmt, step, kind, targets)))  # type: ignore[arg-type]

    def _function_defaults(self, func: cst.FunctionDef, outer: Ctx) -> None:
        """Literal parameter defaults of a training function (or a trainer's __init__) are hyperparameters."""
        name = func.name.value
        if name == "__init__":
            owner = outer.cls.name.value if outer.cls else None
            if owner is None or owner not in self.training_classes or self.call_counts.get(owner, 0) > 1:
                return
        elif name not in self.trainer_funcs or self.call_counts.get(name, 0) != 1:
            return
        entries = [
            (p.name.value, p.name.value)
            for p in list(func.params.params) + list(func.params.kwonly_params)
            if p.default is not None and is_literal(p.default) and p.name.value not in ("self", "cls")
            and _hyperparam_name(p.name.value, p.default) and p.name.value not in ("verbose", "debug")
        ]
        body = _block_body(func.body)
        if not entries or not body:
            return
        first, where = _body_start(body)
        self._param(first, where, "local", entries=entries, ctx=Ctx(func, outer.cls, ()),
                    line=self.scan.line_of(func), owner=name)

    def _experiment_iterable(self, stmt: cst.For) -> bool:
        """A loop over models or hyperparameter values (not over data or folds)."""
        it = stmt.iter
        text = code(it)
        if text.endswith(".items()") or text.endswith(".values()"):
            return True
        if isinstance(it, (cst.List, cst.Tuple, cst.Dict)):
            return True
        if isinstance(it, cst.Name):
            return it.value in self._literal_collections()
        return False

    def _literal_collections(self) -> set[str]:
        if "_collections" in self.__dict__:
            return self.__dict__["_collections"]
        out: set[str] = set()
        self.__dict__["_collections"] = out
        for stmt in _all_statements(self.scan.module.body):
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and isinstance(small.value, (cst.List, cst.Tuple, cst.Dict)):
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                out.add(t.target.value)
        return out

    # ---------------------------------------------------------------- simple statements
    def _simple_line(self, stmt: cst.SimpleStatementLine, ctx: Ctx, local_groups: list) -> None:
        line = self.scan.line_of(stmt)
        for small in stmt.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)):
                self._assignment(stmt, small, ctx, line, local_groups)
            elif local_groups and not _is_declarative(small):
                self._flush_locals(local_groups, ctx)
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                self._printed(stmt, small.value, ctx, line)
            for call in calls_in(small):
                self._call(stmt, call, ctx, line)

    def _assignment(self, stmt, small, ctx: Ctx, line: int, local_groups: list) -> None:
        value = small.value
        if value is None:
            return
        targets = (
            [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
        )
        names = [n for t in targets for n in assigned_names(t)]
        single = names[0] if len(names) == 1 and isinstance(targets[0], cst.Name) else None
        in_batch = any(loop.kind == "batch" for loop in ctx.loops)

        # Hyperparameters --------------------------------------------------
        if single and isinstance(value, cst.Call) and last_name(value) in ("parse_args", "parse_known_args"):
            self._param(stmt, "after", "argparse", whole=f"vars({single})", keys=self.argparse_dests, ctx=ctx, line=line)
            return
        if (
            len(names) == 2 and isinstance(value, cst.Call)
            and last_name(value) == "parse_known_args" and isinstance(targets[0], cst.Tuple)
        ):
            self._param(stmt, "after", "argparse", whole=f"vars({names[0]})", keys=self.argparse_dests, ctx=ctx, line=line)
            return
        if single and _is_config_dict(value, single):
            keys = _dict_keys(value)
            self._param(stmt, "after", "config-dict", whole=single, keys=keys, ctx=ctx, line=line, owner=single)
            return
        if single and isinstance(value, cst.Call) and (call_name(value) or "") in self.dataclasses:
            cls = call_name(value) or ""
            self._param(stmt, "after", "dataclass", whole=f"dataclasses.asdict({single})",
                        keys=self.dataclasses[cls], ctx=ctx, line=line, owner=cls)
            return
        if single and isinstance(value, cst.Call) and not value.args and (call_name(value) or "") in self.config_classes:
            cls = call_name(value) or ""
            entries = [(attr, f"{single}.{attr}") for attr in self.config_classes[cls]]
            self._param(stmt, "after", "config-class", entries=entries, ctx=ctx, line=line, owner=cls)
            return
        if ctx.module_level and single and single in self.module_const_names:
            self._param(stmt, "after", "constant", entries=[(single, single)], ctx=ctx, line=line)
            return
        if (
            ctx.function is not None and not ctx.loops and single and is_literal(value)
            and _hyperparam_name(single, value) and not vocab.is_metric_name(single)
            and self._assigned_once(ctx.function, single)
            and (ctx.function.name.value in self.trainer_funcs or ctx.function.name.value == "main")
        ):
            local_groups.append((stmt, single, line))
            return
        if local_groups:
            self._flush_locals(local_groups, ctx)

        # Metrics ------------------------------------------------------------
        if in_batch or not names:
            return
        if isinstance(value, cst.Call) and last_name(value) in vocab.CV_FUNCTIONS and single:
            self.cv_vars.add(single)
            self.scan.cv_lines.append(line)
            for suffix in ("mean", "std"):
                self._metric(stmt, "after", f"{single}_{suffix}", f"{single}.{suffix}()", "cv", ctx, line)
            return
        callee = last_name(value) if isinstance(value, cst.Call) else None
        if single and callee in self.dict_returns and self._returned_by_own_function(ctx, single) is False:
            entries = self.dict_returns[callee]
            keys = [k for k, _ in entries]
            if all(_scalar_evidence(v) or vocab.is_metric_name(k) for k, v in entries):
                self._metric(stmt, "after", single, single, "dict", ctx, line, keys=keys)
            else:
                for key, v in entries:
                    if _scalar_evidence(v):
                        self._metric(stmt, "after", key, f'{single}["{key}"]', "dict", ctx, line)
            self.metric_vars.add(single)
            return
        if callee in self.tuple_returns and isinstance(targets[0], cst.Tuple):
            flags = self.tuple_returns[callee]
            for name, scalar in zip(names, flags):
                if scalar and vocab.is_metric_name(name) and not self._returned_by_own_function(ctx, name):
                    self._metric(stmt, "after", name, name, "variable", ctx, line)
            return
        if not single:
            return
        if self._returned_by_own_function(ctx, single):
            self.metric_vars.add(single)  # the caller logs it
            return
        if isinstance(value, cst.Dict) and _computed_metric_dict(value):
            keys = [string_value(e.key) for e in value.elements]
            self._metric(stmt, "after", single, single, "dict", ctx, line, keys=keys)
            self.metric_vars.add(single)
            return
        if self._is_metric_value(single, value, callee):
            self._metric(stmt, "after", single, single, "variable", ctx, line)

    def _is_metric_value(self, name: str, value: cst.BaseExpression, callee: str | None) -> bool:
        if callee and callee[:1].isupper():
            return False  # a constructor (nn.MSELoss()) builds an object, not a result
        if callee in vocab.METRIC_FUNCTIONS or callee == "score":
            return True
        if any(last_name(c) in vocab.METRIC_FUNCTIONS for c in calls_in(value)) and _scalar_evidence(value):
            return True
        if callee in self.scalar_returns and (vocab.is_metric_name(name) or callee in ("evaluate", "validate", "test")):
            return True
        if not vocab.is_metric_name(name) or name.endswith("s") and not name.endswith("loss"):
            return False
        if callee in _NON_SCALAR_METHODS:
            return False
        if name in self.float_printed:
            return True
        if _scalar_evidence(value):
            return True
        if callee and ("loss" in callee.lower() or "criterion" in callee.lower()) and "loss" in name:
            return True
        return False

    def _returned_by_own_function(self, ctx: Ctx, name: str) -> bool:
        """True when the enclosing function returns this variable (so the caller logs it)."""
        if ctx.function is None:
            return False
        if name not in self._function_summary(ctx.function)[0]:
            return False
        # main(cfg) called as a bare statement throws the result away: log it in the function.
        callee = ctx.function.name.value
        return self.bare_calls.get(callee, 0) < self.call_counts.get(callee, 0)

    def _assigned_once(self, func: cst.FunctionDef, name: str) -> bool:
        return self._function_summary(func)[1].get(name, 0) == 1

    def _function_summary(self, func: cst.FunctionDef) -> tuple[set[str], dict[str, int]]:
        """(names its returns mention, how often each name is bound), computed once per function."""
        cache = self.__dict__.setdefault("_summaries", {})
        if id(func) in cache:
            return cache[id(func)]
        returned: set[str] = set()
        bound: dict[str, int] = {}
        for stmt in _all_statements(func.body):
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Return) and small.value is not None:
                        returned |= names_in(small.value)
                    elif isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                        tgts = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                        for target in tgts:
                            for name in assigned_names(target):
                                bound[name] = bound.get(name, 0) + (2 if isinstance(small, cst.AugAssign) else 1)
            elif isinstance(stmt, cst.For):
                for name in assigned_names(stmt.target):  # type: ignore[arg-type]
                    bound[name] = bound.get(name, 0) + 2
        cache[id(func)] = (returned, bound)
        return returned, bound

    def _flush_locals(self, local_groups: list, ctx: Ctx) -> None:
        if not local_groups:
            return
        last_stmt = local_groups[-1][0]
        entries = [(name, name) for _, name, _ in local_groups]
        self._param(last_stmt, "after", "local", entries=entries, ctx=ctx, line=local_groups[0][2])
        local_groups.clear()

    def _call(self, stmt, call: cst.Call, ctx: Ctx, line: int) -> None:
        name = call_name(call) or ""
        short = last_name(call) or ""
        qual = self.qualify(name) or ""
        # Literal constructor keyword arguments are hyperparameters.
        if self._is_hyperparam_ctor(short, qual):
            entries = [
                (arg.keyword.value, code(arg.value))
                for arg in call.args
                if arg.keyword is not None and is_literal(arg.value)
                and not vocab.NOT_HYPERPARAM_NAME.search(arg.keyword.value)
                and arg.keyword.value not in ("verbose", "n_jobs", "num_workers", "device")
            ] + [
                # A keyword fed by a known constant is logged under the keyword too.
                (arg.keyword.value, arg.value.value)
                for arg in call.args
                if arg.keyword is not None and isinstance(arg.value, cst.Name)
                and arg.value.value in self.module_const_names
                and arg.value.value != arg.keyword.value
            ]
            if entries:
                self._param(stmt, "before", "ctor-kwarg", entries=entries, ctx=ctx, line=line, owner=short)
        self._inline_config(call, short)
        # Saved artifacts.
        saver = _SAVE_CALLS.get(name) or (_SAVE_CALLS.get(short) if qual.startswith("joblib") else None)
        if saver and call.args:
            obj = code(call.args[0].value)
            path = code(call.args[1].value) if len(call.args) > 1 else None
            self.scan.artifacts.append((saver, obj, path, line, stmt))
        # GitPython operations (facts for translation).
        if qual.startswith("git.") or short in ("Repo", "init") and "git" in self.scan.imported_modules:
            self.scan.git_calls.append((short, line, tuple(code(a.value) for a in call.args)))
        elif receiver(call) and any(k in (receiver(call) or "") for k in ("repo", "index", "git", "origin", "remote")):
            if short in ("add", "commit", "push", "pull", "show", "checkout", "tag", "create_tag", "is_dirty", "diff", "status"):
                self.scan.git_calls.append((short, line, tuple(code(a.value) for a in call.args)))

    def _is_hyperparam_ctor(self, short: str, qual: str) -> bool:
        if not short:
            return False
        if short in vocab.OPTIMIZER_NAMES or short in vocab.EXTRA_HYPERPARAM_CALLS:
            return True
        if qual.startswith(vocab.HYPERPARAM_CTOR_MODULES) and short[:1].isupper():
            return True
        if short in self.classes and short not in self.dataclasses:
            return True  # the script's own model / trainer classes
        return short[:1].isupper() and short.endswith(vocab.MODEL_SUFFIXES)

    # ---------------------------------------------------------------- printed results
    def _printed(self, stmt, call: cst.Call, ctx: Ctx, line: int) -> None:
        name = call_name(call) or ""
        if not _PRINT_LIKE.match(name):
            return
        if any(loop.kind == "batch" for loop in ctx.loops):
            return
        loop_targets = {t for loop in ctx.loops if loop.kind in ("models", "sweep", "other") for t in loop.targets}
        for label, expr, float_spec in _print_values(call):
            text = code(expr)
            if is_literal(expr) or text in loop_targets or any(text == (l.step_var or "") for l in ctx.loops):
                continue
            if isinstance(expr, cst.Name) and (expr.value in self.metric_vars or expr.value in self.module_const_names):
                continue
            if isinstance(expr, cst.Name) and expr.value in loop_targets:
                continue
            if names_in(expr) & self.cv_vars:
                continue
            if names_in(expr) & self.metric_vars and not isinstance(expr, cst.Call):
                continue
            key = _metric_key(label, expr)
            if not key or not self._printed_is_metric(expr, key, float_spec):
                continue
            if any((call_name(c) or "") in self.functions for c in calls_in(expr)):
                # Re-running evaluate(model, loader) to log it could change what the script does
                # next (a shuffling loader draws random numbers): log where the function returns.
                if isinstance(expr, cst.Call):
                    self._metric_at_return(call_name(expr) or "", key)
                continue
            if isinstance(expr, cst.Call) and call_name(expr) == "round" and expr.args:
                text = code(expr.args[0].value)  # log the full-precision value the script rounds for display
            self._metric(stmt, "before", key, text, "printed", ctx, line)

    def _metric_at_return(self, function: str, key: str) -> None:
        """Log a function's result just before its single top-level `return` of a pure expression."""
        func = self.functions.get(function)
        if func is None or len(nodes_of(func, cst.Return)) != 1:
            return
        for stmt in _block_body(func.body):
            if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Return):
                value = stmt.body[0].value
                if value is None or not all(last_name(c) in _PURE_CALLS for c in calls_in(value)):
                    return
                if any(m.anchor is stmt for m in self.scan.metrics):
                    return
                self._metric(stmt, "before", key, code(value), "printed", Ctx(func, None, ()),
                             self.scan.line_of(stmt))
                return

    def _printed_is_metric(self, expr: cst.BaseExpression, key: str, float_spec: bool) -> bool:
        if "time" in key or "elapsed" in key or "second" in key or "duration" in key:
            return False
        calls = calls_in(expr)
        if any(last_name(c) in _NON_SCALAR_METHODS - {"score"} and last_name(c) != "item" for c in calls[:1]):
            return False
        if any(last_name(c) in vocab.METRIC_FUNCTIONS or last_name(c) == "score" for c in calls):
            return isinstance(expr, cst.Call) and (last_name(expr) in vocab.METRIC_FUNCTIONS | {"score", "item", "round", "float"} or float_spec)
        if float_spec and vocab.is_metric_name(key):
            return True
        if isinstance(expr, cst.Call) and last_name(expr) in ("item", "mean", "round", "float") and vocab.is_metric_name(key):
            return True
        if isinstance(expr, cst.Call) and last_name(expr) in self.scalar_returns and vocab.is_metric_name(key):
            return True
        return False

    # ---------------------------------------------------------------- training facts
    def _detect_training(self, stmt: Statement, ctx: Ctx) -> None:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return
        for call in calls_in(stmt) if isinstance(stmt, cst.SimpleStatementLine) else []:
            short = last_name(call)
            if short in vocab.TRAIN_METHODS and isinstance(call.func, cst.Attribute):
                self.scan.fit_lines.append(self.scan.line_of(stmt))
            elif short == "backward" and not ctx.loops:
                self.scan.torch_loops.append((self.scan.line_of(stmt), None))
        if isinstance(stmt, (cst.For, cst.While)) and _has_backward(stmt.body) and not ctx.loops:
            step = None
            if isinstance(stmt, cst.For) and isinstance(stmt.target, cst.Name):
                step = stmt.target.value
            self.scan.torch_loops.append((self.scan.line_of(stmt), step))

    # ---------------------------------------------------------------- recording
    def _inline_config(self, call: cst.Call, callee: str) -> None:
        """train(parser.parse_args()) or Experiment(Settings()): log the settings where the callee
        receives them (a function's parameter, or a class's __init__ parameter)."""
        func, offset = self.functions.get(callee), 0
        if callee in self.classes:
            func, offset = self.methods.get((callee, "__init__")), 1  # skip `self`
        if func is None or self.call_counts.get(callee, 0) != 1:
            return
        params = list(func.params.params)[offset:]
        body = _block_body(func.body)
        for index, arg in enumerate(a for a in call.args if a.keyword is None):
            value = arg.value
            if not isinstance(value, cst.Call) or index >= len(params) or not body:
                continue
            name = params[index].name.value
            if last_name(value) == "parse_args":
                kind, whole, keys = "argparse", f"vars({name})", self.argparse_dests
            elif (call_name(value) or "") in self.dataclasses:
                kind, whole, keys = "dataclass", f"dataclasses.asdict({name})", self.dataclasses[call_name(value) or ""]
            else:
                continue
            first, where = _body_start(body)
            self._param(first, where, kind, whole=whole, keys=keys, ctx=Ctx(func, None, ()),
                        line=self.scan.line_of(func), owner=callee)
            return

    def _param(self, anchor, where, kind, *, entries=None, whole=None, keys=None, ctx=None, line=0, owner=None):
        self.scan.params.append(
            ParamSite(anchor, where, kind, list(entries or []), whole, list(keys or []), owner, line, ctx)
        )

    def _metric(self, anchor, where, key, expr, kind, ctx: Ctx, line: int, keys=None) -> None:
        step = None
        for loop in reversed(ctx.loops):
            if loop.kind in ("models", "sweep"):
                break
            if loop.step_var:
                step = loop.step_var
                break
        if kind != "printed" and isinstance(anchor, cst.SimpleStatementLine):
            for small in anchor.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)):
                    self.metric_vars.add(expr.split(".")[0].split("[")[0])
        self.scan.metrics.append(MetricSite(anchor, where, key, expr, kind, step, line, ctx, list(keys or [])))


# -------------------------------------------------------------------- module helpers
def _body_start(body: list) -> tuple[Statement, str]:
    """Where code added at the start of a function body goes: after its docstring, else first."""
    first = body[0]
    if isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr) and isinstance(
        first.body[0].value, (cst.SimpleString, cst.ConcatenatedString)
    ):
        return first, "after"
    return first, "before"


def _block_body(block) -> list:
    return list(block.body) if isinstance(block, cst.IndentedBlock) else []


def _all_statements(block):
    """Every statement under a block, recursively, in source order."""
    body = block.body if isinstance(block, (cst.IndentedBlock, cst.Module)) else block
    for stmt in body if isinstance(body, (list, tuple)) else []:
        yield stmt
        for child in ("body", "orelse", "finalbody"):
            sub = getattr(stmt, child, None)
            if isinstance(sub, cst.IndentedBlock):
                yield from _all_statements(sub)
            elif sub is not None and hasattr(sub, "body") and isinstance(sub.body, cst.IndentedBlock):
                yield from _all_statements(sub.body)
        for handler in getattr(stmt, "handlers", ()) or ():
            yield from _all_statements(handler.body)


def _statement_targets(stmt) -> list[str]:
    """Names the statement assigns, its nested blocks' statements included, each assignment once."""
    out = _own_targets(stmt)
    if isinstance(stmt, (cst.For, cst.While, cst.If, cst.With, cst.Try)):
        # _all_statements already descends into nested blocks: recursing here as well visited
        # a statement 2**depth times, which never finished on deeply nested code.
        for inner in _all_statements(stmt.body):
            out.extend(_own_targets(inner))
    return out


def _own_targets(stmt) -> list[str]:
    """Names an assignment line or a for-loop header assigns (not its body)."""
    out = []
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                for t in small.targets:
                    out.extend(assigned_names(t.target))
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                out.extend(assigned_names(small.target))
    elif isinstance(stmt, cst.For):
        out.extend(assigned_names(stmt.target))  # type: ignore[arg-type]
    return out


def _globals(func: cst.FunctionDef) -> list[cst.Name]:
    out = []
    for stmt in _all_statements(func.body):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Global):
                    out.extend(n.name for n in small.names)
    return out


def _is_main_guard(stmt) -> bool:
    return isinstance(stmt, cst.If) and "__name__" in code(stmt.test) and "__main__" in code(stmt.test)


def _is_declarative(small: cst.BaseSmallStatement) -> bool:
    """Imports, docstrings, constants: statements that do no work worth tracking."""
    if isinstance(small, (cst.Import, cst.ImportFrom, cst.Pass)):
        return True
    if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
        return is_literal(small.value)
    return False


def _constant(stmt: cst.SimpleStatementLine) -> tuple[str, cst.BaseExpression] | None:
    if len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value, small.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        return small.target.value, small.value
    return None


def _hyperparam_name(name: str, value: cst.BaseExpression) -> bool:
    if name.startswith("__") or vocab.NOT_HYPERPARAM_NAME.search(name):
        return False
    text = string_value(value)
    if text is not None and (vocab.PATHLIKE_VALUE.search(text) or " " in text or not text):
        return False
    if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) > 8:
        return False
    return is_literal(value) and not (isinstance(value, cst.Name) and value.value == "None")


def _is_config_dict(value: cst.BaseExpression, name: str) -> bool:
    """A dict literal (or dict(...) call) of literal settings, named like a config."""
    if isinstance(value, cst.Dict):
        elements = [e for e in value.elements if isinstance(e, cst.DictElement)]
        if not elements or not all(string_value(e.key) for e in elements):
            return False
        literal = sum(is_literal(e.value) or isinstance(e.value, cst.Dict) for e in elements)
        return literal == len(elements) and not vocab.is_metric_name(name)
    if isinstance(value, cst.Call) and call_name(value) == "dict" and value.args:
        return all(a.keyword is not None and is_literal(a.value) for a in value.args)
    return False


def _dict_keys(value: cst.BaseExpression) -> list[str]:
    if isinstance(value, cst.Dict):
        return [string_value(e.key) or "" for e in value.elements if isinstance(e, cst.DictElement)]
    if isinstance(value, cst.Call):
        return [a.keyword.value for a in value.args if a.keyword is not None]
    return []


def _argparse_dest(call: cst.Call) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "dest":
            return string_value(arg.value)
    flags = [string_value(a.value) for a in call.args if a.keyword is None]
    flags = [f for f in flags if f]
    if not flags:
        return None
    long = [f for f in flags if f.startswith("--")]
    chosen = (long or flags)[0]
    return chosen.lstrip("-").replace("-", "_")


def _literal_sequence(expr: cst.BaseExpression, scanner: Scanner) -> bool:
    """A list/tuple literal of numbers or strings (a sweep over hyperparameter values)."""
    if isinstance(expr, (cst.List, cst.Tuple)):
        return bool(expr.elements) and all(is_literal(e.value) for e in expr.elements)
    if isinstance(expr, cst.Name):
        for stmt in _all_statements(scanner.scan.module.body):
            const = _constant(stmt) if isinstance(stmt, cst.SimpleStatementLine) else None
            if const and const[0] == expr.value:
                return isinstance(const[1], (cst.List, cst.Tuple)) and is_literal(const[1])
    return False


def _contains_training(node: cst.CSTNode) -> bool:
    for call in calls_in(node):
        short = last_name(call)
        if short in ("fit", "partial_fit", "backward", "fit_transform") and receiver(call):
            return True
    return False


def _overridable_default(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The literal default behind a command-line or environment override, if `value` is one.

    `int(sys.argv[1]) if len(sys.argv) > 1 else 40`, `float(os.environ.get("LR", 0.1))`,
    `os.getenv("EPOCHS", "5")`.
    """
    if isinstance(value, cst.IfExp):
        return next((v for v in (value.orelse, value.body) if is_literal(v)), None)
    if isinstance(value, cst.Call) and call_name(value) in ("int", "float", "str", "bool") and value.args:
        value = value.args[0].value
    if isinstance(value, cst.Call) and (call_name(value) or "").endswith(("environ.get", "getenv")):
        default = value.args[1].value if len(value.args) == 2 else None
        return default if default is not None and is_literal(default) else None
    return None


def _computed_metric_dict(value: cst.Dict) -> bool:
    """{"mse": float(...), "mae": ...}: string keys naming metrics, values computed (not literals)."""
    elements = list(value.elements)
    return bool(elements) and all(
        isinstance(e, cst.DictElement) and vocab.is_metric_name(string_value(e.key) or "")
        and not is_literal(e.value)
        # a dict of lists is a history, not one result
        and not isinstance(e.value, (cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.DictComp))
        for e in elements
    )


def _updates_in_place(node: cst.CSTNode) -> bool:
    """`w -= lr * grad` somewhere in `node`: weights updated in place, i.e. numpy training."""
    return any(isinstance(n, cst.AugAssign) and isinstance(n.operator, cst.SubtractAssign) for n in iter_nodes(node))


def _updates_in_loop(node: cst.CSTNode) -> bool:
    """A `for ... in range(...)` loop that updates weights in place: a numpy training function."""
    return any(
        isinstance(loop.iter, cst.Call) and call_name(loop.iter) == "range" and _updates_in_place(loop.body)
        for loop in nodes_of(node, cst.For)
    )


def _has_backward(node: cst.CSTNode) -> bool:
    return any(last_name(c) in ("backward", "step") and receiver(c) for c in calls_in(node)) and any(
        last_name(c) == "backward" for c in calls_in(node)
    )


def _in_epoch(ctx: Ctx) -> bool:
    return any(loop.kind in ("epoch", "batch") for loop in ctx.loops)


def _sweeps_only(ctx: Ctx) -> bool:
    """Directly inside a value sweep that has its own run (and no other loop in between)."""
    return bool(ctx.loops) and ctx.loops[-1].kind == "sweep" and all(loop.kind == "sweep" for loop in ctx.loops)


def _in_models(ctx: Ctx) -> bool:
    return any(loop.kind in ("models", "sweep") for loop in ctx.loops)


def _while_counter(stmt: cst.While) -> str | None:
    for inner in _all_statements(stmt.body):
        if isinstance(inner, cst.SimpleStatementLine):
            for small in inner.body:
                if (
                    isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign)
                    and isinstance(small.target, cst.Name) and code(small.value) == "1"
                    and _STEP_NAMES.match(small.target.value)
                ):
                    return small.target.value
    return None


def _scalar_evidence(expr: cst.BaseExpression) -> bool:
    """True when an expression clearly yields one number."""
    if isinstance(expr, (cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.Call):
        short = last_name(expr)
        if short in vocab.METRIC_FUNCTIONS or short in _REDUCTIONS or short in ("float", "round", "int", "len"):
            return True
        if short in ("sqrt", "log", "exp", "abs") and expr.args:
            return _scalar_evidence(expr.args[0].value)
        return False
    if isinstance(expr, cst.BinaryOperation):
        left, right = _scalar_evidence(expr.left), _scalar_evidence(expr.right)
        return (left or right) and not any(
            isinstance(side, cst.Name) and side.value.lower() in ("x", "y", "preds", "y_pred", "outputs", "logits")
            for side in (expr.left, expr.right)
        )
    if isinstance(expr, cst.Name):
        return vocab.is_metric_name(expr.value) and not expr.value.endswith("s")
    return False


def _print_values(call: cst.Call):
    """(label, expression, has_float_format) for every value a print/log call shows."""
    label = ""
    args = [a for a in call.args if a.keyword is None]
    if args and isinstance(args[0].value, (cst.SimpleString,)) and "%" in (string_value(args[0].value) or "") and len(args) > 1:
        template = string_value(args[0].value) or ""
        yield from _percent_values(template, [a.value for a in args[1:]])
        return
    for arg in args:
        value = arg.value
        if isinstance(value, cst.FormattedString):
            for part in value.parts:
                if isinstance(part, cst.FormattedStringText):
                    label = part.value
                elif isinstance(part, cst.FormattedStringExpression):
                    spec = "".join(code(p) for p in part.format_spec) if part.format_spec else ""
                    yield label, part.expression, _is_float_spec(spec)
                    label = ""
        elif isinstance(value, cst.SimpleString):
            label = string_value(value) or ""
        elif isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Modulo) and isinstance(value.left, cst.SimpleString):
            right = value.right
            items = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
            yield from _percent_values(string_value(value.left) or "", items)
        elif isinstance(value, cst.Call) and last_name(value) == "format" and isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.SimpleString):
            template = string_value(value.func.value) or ""
            pieces = re.split(r"\{[^}]*\}", template)
            specs = re.findall(r"\{([^}]*)\}", template)
            for i, a in enumerate(a for a in value.args if a.keyword is None):
                yield (pieces[i] if i < len(pieces) else ""), a.value, _is_float_spec(specs[i] if i < len(specs) else "")
        else:
            yield label, value, False
            label = ""


def _percent_values(template: str, values: list):
    pieces = re.split(r"%[-+ #0]*\d*(?:\.\d+)?[sdifeEgGr%]", template)
    specs = re.findall(r"%[-+ #0]*\d*(?:\.\d+)?([sdifeEgGr%])", template)
    for i, value in enumerate(values):
        spec = specs[i] if i < len(specs) else "s"
        yield (pieces[i] if i < len(pieces) else ""), value, spec in "feEgG"


_CONFIG_CLASS = re.compile(r"(Config|Conf|Params|Hparams|HParams|Settings|Hyper\w*)$")


def _literal_class_attrs(node: cst.ClassDef) -> list[str]:
    """Names of a plain settings class's literal attributes; [] when it has methods or other code."""
    attrs: list[str] = []
    for stmt in _block_body(node.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            return []
        for small in stmt.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
                continue  # docstring
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                target, value = small.targets[0].target, small.value
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
                target, value = small.target, small.value
            else:
                return []
            if is_literal(value) and not target.value.startswith("_"):
                attrs.append(target.value)
    return attrs


_LABEL_FILLERS = {"is", "was", "of", "the", "and", "with", "at", "for", "on", "in", "to", "after", "a", "an"}


def _singular(name: str) -> str:
    """'scores' -> 'score', 'losses' -> 'loss' (for keys naming one entry of a list)."""
    if name.endswith("sses"):
        return name[:-2]
    return name[:-1] if name.endswith("s") and len(name) > 3 and not name.endswith("ss") else name


def _metric_key(label: str, expr: cst.BaseExpression) -> str:
    label = re.split(r"[,;|()\[\]\n\t]", label.strip(" :=-"))[-1] if label.strip() else ""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_@]*", label) if w.lower() not in _LABEL_FILLERS]
    if words:
        key = vocab.slug("_".join(words[-4:]))
        # "best alpha {a} with r2 {best_r2}": the variable names the value better than the label
        if isinstance(expr, cst.Name) and set(key.split("_")) < set(expr.value.lower().split("_")):
            return expr.value
        if key:
            return key
    if isinstance(expr, cst.Name):
        return expr.value
    arg = expr.args[0].value if isinstance(expr, cst.Call) and expr.args else None
    if arg is not None and last_name(expr) in ("mean", "std", "median", "min", "max") and isinstance(arg, cst.Name):
        return vocab.slug(f"{arg.value}_{last_name(expr)}")  # np.std(scores) -> scores_std
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        base = dotted(expr.func.value)
        if last_name(expr) in ("item",) and base:
            return vocab.slug(base.split(".")[-1])
        if last_name(expr) in ("mean", "std") and base:
            return vocab.slug(f"{base.split('.')[-1]}_{last_name(expr)}")
        return vocab.slug(last_name(expr) or "")
    if isinstance(expr, cst.Call):
        return vocab.slug(last_name(expr) or "")
    if isinstance(expr, cst.Subscript):
        base = dotted(expr.value)
        # scores[-1] is the latest entry of a list of scores: name it "score"
        return _singular(vocab.slug(base)) if base else vocab.slug(code(expr))
    if isinstance(expr, cst.Attribute):
        return vocab.slug(expr.attr.value)
    return ""


def scan_module(module: cst.Module, source: str | None = None) -> Scan:
    """Run one scanning pass over a parsed module (`source` is its text, when the caller has it)."""
    return Scanner(module, source).run()
