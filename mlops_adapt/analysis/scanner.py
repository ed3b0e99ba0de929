"""The Scanner: one read-only walk of a module, in context, that fills a Scan."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.array_values import ArrayValues
from mlops_adapt.analysis.exprs import (
    all_statements,
    assigned_names,
    block_body,
    call_name,
    calls_in,
    code,
    dotted,
    iter_nodes,
    last_name,
    names_in,
    nodes_of,
    receiver,
    string_value,
)
from mlops_adapt.analysis.hyperparams import (
    CONFIG_CLASS,
    argparse_dest,
    argparse_option,
    dataclass_defaults,
    first_constants,
    is_declarative,
    literal_class_attrs,
    literal_sequence,
)
from mlops_adapt.analysis.lines import statement_lines
from mlops_adapt.analysis.metric_sites import holds_many, is_float_spec, scalar_evidence
from mlops_adapt.analysis.scan_metrics import MetricRecorder
from mlops_adapt.analysis.scan_params import ParamRecorder
from mlops_adapt.analysis.sites import Ctx, Loop, NestedRun, Scan, Statement
from mlops_adapt.analysis.training import (
    BATCH_ITER,
    STEP_NAMES,
    contains_training,
    has_backward,
    in_epoch,
    in_models,
    sweeps_only,
    updates_in_loop,
    updates_in_place,
    while_counter,
)

BATCH_INDEX = re.compile(r"^(batch|batch_idx|batch_i|i_batch|batch_num|batch_no|minibatch|mb)$")

_SAVE_CALLS = {
    "joblib.dump": "joblib", "dump": "joblib", "pickle.dump": "pickle", "torch.save": "torch",
    "np.save": "numpy", "numpy.save": "numpy", "np.savez": "numpy",
}



# Bases that make a class a scikit-learn estimator: sklearn clones it (cross_val_score, GridSearchCV).
SKLEARN_ESTIMATOR_BASES = frozenset({
    "BaseEstimator", "ClassifierMixin", "RegressorMixin", "TransformerMixin", "ClusterMixin", "OutlierMixin",
})


class Scanner(ParamRecorder, MetricRecorder):
    """Walks a module's statements with their context and fills a Scan."""

    def __init__(self, module: cst.Module, source: str | None = None) -> None:
        text = source if source is not None else module.code
        self.scan = Scan(module, {}, set(), positions=statement_lines(module, text), source=text)
        self.functions: dict[str, cst.FunctionDef] = {}
        self.methods: dict[tuple[str, str], cst.FunctionDef] = {}  # (class, method) -> def
        self.dict_returns: dict[str, list[tuple[str, cst.BaseExpression]]] = {}
        self.scalar_returns: set[str] = set()
        self.tuple_returns: dict[str, list[bool]] = {}
        self.dataclasses: dict[str, list[str]] = {}
        self.argparse_dests: list[str] = []
        self.float_printed: set[str] = set()
        self.shown_names: set[str] = set()  # names an f-string shows: what the script reports
        self.metric_vars: set[str] = set()
        self.cv_vars: set[str] = set()
        self.module_const_names: set[str] = set()
        self.nn_modules: set[str] = set()
        self.trainer_funcs: set[str] = set()
        self.classes: set[str] = set()
        self.config_classes: dict[str, list[str]] = {}  # plain classes holding literal settings
        self.training_classes: set[str] = set()
        self.estimator_classes: set[str] = set()  # sklearn-style estimators, cloned by sklearn
        self.call_counts: dict[str, int] = {}
        self.bare_calls: dict[str, int] = {}  # calls whose result is thrown away, by short name
        self.called_names: set[str] = set()  # plain names used as callees: `loss_func(pred, y)`
        self.block_stack: list[list] = []  # the statement lists being walked, innermost last

    def run(self) -> Scan:
        module = self.scan.module
        self._collect(module)
        self._module_level(module)
        self._walk_block(module.body, Ctx())
        self.scan.call_names = {self.qualify(n) or n for n in self.scan.call_names}
        self.scan.nn_modules = self.nn_modules
        self.scan.trainer_funcs = self.trainer_funcs
        return self.scan

    def _collect(self, module: cst.Module) -> None:
        """One pass over every node: imports, definitions, call counts, float-formatted values."""
        for node in iter_nodes(module):
            if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
                bare = last_name(node.value) or ""
                self.bare_calls[bare] = self.bare_calls.get(bare, 0) + 1
            if isinstance(node, cst.Call):
                short = last_name(node) or ""
                self.call_counts[short] = self.call_counts.get(short, 0) + 1
                if isinstance(node.func, cst.Name):
                    self.called_names.add(node.func.value)
                full = call_name(node)
                if full:
                    self.scan.call_names.add(full)
                if short == "add_argument":
                    dest = argparse_dest(node)
                    if dest:
                        self.argparse_dests.append(dest)
                    option = argparse_option(node)
                    if option is not None:
                        self.scan.argparse_options[option.dest] = option
            elif type(node) is cst.Name:
                self.scan.strings.add(node.value)
            elif type(node) is cst.SimpleString:
                value = string_value(node)
                if value and len(value) < 40:
                    self.scan.strings.add(value)
            elif isinstance(node, cst.FormattedStringExpression):
                self.shown_names |= names_in(node.expression)
                if node.format_spec and is_float_spec("".join(code(p) for p in node.format_spec)):
                    self.float_printed.add(code(node.expression))
            elif isinstance(node, cst.FunctionDef):
                self.functions.setdefault(node.name.value, node)
                self._inspect_returns(node)
                if contains_training(node) or updates_in_loop(node):
                    self.trainer_funcs.add(node.name.value)
            elif isinstance(node, cst.ClassDef):
                self._class(node)
            elif isinstance(node, (cst.Import, cst.ImportFrom)):
                self._import(node)
        self.array_values = ArrayValues(self.qualify)
        self.array_values.collect(module)
        # Names bound to `{}`: out-parameters a training call may fill (`evals_result=history`).
        self.empty_dicts = {
            name for node in nodes_of(module, (cst.Assign,)) if isinstance(node.value, cst.Dict)
            and not node.value.elements for t in node.targets for name in assigned_names(t.target)
        }
        # A function that calls a trainer function trains too (one level is enough in practice);
        # `model.train()` without arguments only switches the mode, unless a class of the script has
        # a training method of that name (`trainer.train()`).
        methods = {m.name.value for c in nodes_of(module, cst.ClassDef) for m in c.body.body
                   if isinstance(m, cst.FunctionDef) and m.name.value in self.trainer_funcs}
        for name, node in self.functions.items():
            if any(last_name(c) in self.trainer_funcs and not (_mode_switch(c) and "train" not in methods)
                   for c in calls_in(node.body)):
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
        for stmt in block_body(node.body):
            if isinstance(stmt, cst.FunctionDef):
                self.methods[(node.name.value, stmt.name.value)] = stmt
        if contains_training(node.body):
            self.training_classes.add(node.name.value)
        decorators = {code(d.decorator).split("(")[0] for d in node.decorators}
        if decorators & {"dataclass", "dataclasses.dataclass"}:
            fields = []
            for stmt in block_body(node.body):
                if isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                            fields.append(small.target.value)
            self.dataclasses[node.name.value] = fields
            self.scan.dataclass_defaults[node.name.value] = dataclass_defaults(node)
        elif CONFIG_CLASS.search(node.name.value):
            attrs = literal_class_attrs(node)
            if attrs:
                self.config_classes[node.name.value] = attrs
        bases = {code(b.value) for b in node.bases}
        if {b.split(".")[-1] for b in bases} & SKLEARN_ESTIMATOR_BASES:
            self.estimator_classes.add(node.name.value)
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
        containers: dict[str, cst.BaseExpression] = {}  # local names bound to a list, tuple or dict display
        for stmt in all_statements(func.body):
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and isinstance(small.value, cst.Dict):
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                local_dicts[t.target.value] = small.value
                    if isinstance(small, cst.Assign):
                        containers.update(_container_bindings(small))
                    if isinstance(small, cst.Return) and small.value is not None:
                        value = small.value
                        if isinstance(value, cst.Name) and value.value in local_dicts:
                            value = local_dicts[value.value]
                        name = func.name.value
                        if isinstance(value, cst.Dict):
                            # `"loss_history": loss_history` with `loss_history = []` above returns a list
                            entries = [
                                (string_value(el.key), containers.get(code(el.value), el.value))
                                for el in value.elements
                                if isinstance(el, cst.DictElement) and string_value(el.key)
                            ]
                            if entries:
                                self.dict_returns[name] = entries  # type: ignore[assignment]
                        elif isinstance(value, cst.Tuple):
                            self.tuple_returns[name] = [scalar_evidence(e.value) and code(e.value) not in containers
                                                         for e in value.elements]
                        elif scalar_evidence(value):
                            self.scalar_returns.add(name)

    def _walk_block(self, body, ctx: Ctx) -> None:
        local_groups: list[Statement] = []
        self.block_stack.append(list(body))
        try:
            self._walk_statements(body, ctx, local_groups)
        finally:
            self.block_stack.pop()
        self._flush_locals(local_groups, ctx)

    def _walk_statements(self, body, ctx: Ctx, local_groups: list) -> None:
        for stmt in body:
            if isinstance(stmt, cst.SimpleStatementLine):
                self._simple_line(stmt, ctx, local_groups)
            elif isinstance(stmt, cst.FunctionDef):
                inner = Ctx(stmt, ctx.cls, ())
                self._function_defaults(stmt, ctx)
                self._walk_block(block_body(stmt.body), inner)
            elif isinstance(stmt, cst.ClassDef):
                self._walk_block(block_body(stmt.body), Ctx(None, stmt, ()))
            elif isinstance(stmt, cst.For):
                self._for(stmt, ctx)
            elif isinstance(stmt, cst.While):
                step = while_counter(stmt)
                kind = "epoch" if step and not in_epoch(ctx) else "other"
                self._walk_block(block_body(stmt.body), ctx.with_loop(Loop(stmt, step, kind)))
            elif isinstance(stmt, cst.If):
                self._walk_block(block_body(stmt.body), ctx)
                orelse = stmt.orelse
                while orelse is not None:
                    self._walk_block(block_body(orelse.body), ctx)
                    orelse = orelse.orelse if isinstance(orelse, cst.If) else None
            elif isinstance(stmt, cst.With):
                self._walk_block(block_body(stmt.body), ctx)
            elif isinstance(stmt, cst.Try):
                self._walk_block(block_body(stmt.body), ctx)
                for handler in stmt.handlers:
                    self._walk_block(block_body(handler.body), ctx)
                for extra in (stmt.orelse, stmt.finalbody):
                    if extra is not None:
                        self._walk_block(block_body(extra.body), ctx)
            self._detect_training(stmt, ctx)

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
        trains = contains_training(stmt.body) or any(
            last_name(c) in self.trainer_funcs for c in calls_in(stmt.body)
        )
        kind: str = "other"
        batch_named = bool(step and BATCH_INDEX.match(step))  # for batch, i in enumerate(range(0, n, bptt))
        if in_epoch(ctx) and not trains and isinstance(stmt.iter, (cst.List, cst.Tuple)) and all(
                loop.kind == "epoch" for loop in ctx.loops):
            # `for k in (5, 10):` in an epoch evaluates once per listed item (a ranking cutoff, a split):
            # its results are the epoch's, one key per item, not per-batch values
            kind = "other"
        elif in_epoch(ctx) or (has_backward(stmt.body) and (BATCH_ITER.search(iter_code) or batch_named)
                               and not in_models(ctx)):
            kind = "batch"
        elif step and trains or step and call_name(stmt.iter) == "range" and STEP_NAMES.match(step or ""):
            kind = "epoch"
        elif trains and not in_models(ctx) and self._experiment_iterable(stmt):
            kind = "sweep" if literal_sequence(stmt.iter, self._constants()) else "models"
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
        elif trains and sweeps_only(ctx) and len(targets) == 1 and literal_sequence(stmt.iter, self._constants()):
            # for lr in (...): for depth in (...): one child run per depth inside each lr run
            kind, name_var = "sweep", targets[0]
            outer = next(n for n in reversed(self.scan.nested_runs) if n.loop is ctx.loops[-1].node)
            self.scan.nested_runs.append(NestedRun(
                stmt, f'f"{name_var}={{{name_var}}}"', (name_var, name_var),
                f"{outer.key_prefix}/{name_var}={{{name_var}}}",
            ))
        if kind == "batch":
            step = None
        if kind == "epoch" and updates_in_place(stmt.body):
            self.scan.update_loops.append(self.scan.line_of(stmt))
        self._walk_block(block_body(stmt.body), ctx.with_loop(Loop(stmt, step, kind, targets)))  # type: ignore[arg-type]

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

    def _constants(self) -> dict[str, cst.BaseExpression]:
        """The first value bound to each name (computed once: sweep loops ask for it)."""
        if "_first_constants" not in self.__dict__:
            self.__dict__["_first_constants"] = first_constants(self.scan.module)
        return self.__dict__["_first_constants"]

    def _literal_collections(self) -> set[str]:
        if "_collections" in self.__dict__:
            return self.__dict__["_collections"]
        out: set[str] = set()
        self.__dict__["_collections"] = out
        for stmt in all_statements(self.scan.module.body):
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and isinstance(small.value, (cst.List, cst.Tuple, cst.Dict)):
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                out.add(t.target.value)
        return out

    def _simple_line(self, stmt: cst.SimpleStatementLine, ctx: Ctx, local_groups: list) -> None:
        line = self.scan.line_of(stmt)
        for small in stmt.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)):
                self._assignment(stmt, small, ctx, line, local_groups)
            elif local_groups and not is_declarative(small):
                self._flush_locals(local_groups, ctx)
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                self._printed(stmt, small.value, ctx, line)
            for call in calls_in(small):
                self._call(stmt, call, ctx, line)
        self._filled_history(stmt, ctx, line)

    def _assignment(self, stmt, small, ctx: Ctx, line: int, local_groups: list) -> None:
        value = small.value
        if value is None:
            return
        targets = (
            [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
        )
        names = [n for t in targets for n in assigned_names(t)]
        single = names[0] if len(names) == 1 and isinstance(targets[0], cst.Name) else None
        if self._param_assignment(stmt, value, targets, names, single, ctx, line, local_groups):
            return
        if local_groups:
            self._flush_locals(local_groups, ctx)
        self._metric_assignment(stmt, value, targets, names, single, ctx, line)

    def _assigned_once(self, func: cst.FunctionDef, name: str) -> bool:
        return self._function_summary(func)[1].get(name, 0) == 1

    def _function_summary(self, func: cst.FunctionDef) -> tuple[set[str], dict[str, int]]:
        """(names its returns mention, how often each name is bound), computed once per function."""
        cache = self.__dict__.setdefault("_summaries", {})
        if id(func) in cache:
            return cache[id(func)]
        returned: set[str] = set()
        bound: dict[str, int] = {}
        for stmt in all_statements(func.body):
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

    def _call(self, stmt, call: cst.Call, ctx: Ctx, line: int) -> None:
        name = call_name(call) or ""
        short = last_name(call) or ""
        qual = self.qualify(name) or ""
        self._ctor_kwargs(stmt, call, short, qual, ctx, line)
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

    def _detect_training(self, stmt: Statement, ctx: Ctx) -> None:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return
        for call in calls_in(stmt) if isinstance(stmt, cst.SimpleStatementLine) else []:
            short = last_name(call)
            if short in vocab.TRAIN_METHODS and isinstance(call.func, cst.Attribute):
                self.scan.fit_lines.append(self.scan.line_of(stmt))
            elif short == "backward" and not ctx.loops:
                self.scan.torch_loops.append((self.scan.line_of(stmt), None))
        if isinstance(stmt, (cst.For, cst.While)) and has_backward(stmt.body) and not ctx.loops:
            step = None
            if isinstance(stmt, cst.For) and isinstance(stmt.target, cst.Name):
                step = stmt.target.value
            self.scan.torch_loops.append((self.scan.line_of(stmt), step))


def _mode_switch(call: cst.Call) -> bool:
    """`model.train()`: a method call without arguments that only sets the module's training mode."""
    return isinstance(call.func, cst.Attribute) and call.func.attr.value == "train" and not call.args


def _container_bindings(assign: cst.Assign) -> dict[str, cst.BaseExpression]:
    """Names an assignment binds to a list, tuple or dict display (`hist = []`, `a, b = [], []`)."""
    bound: dict[str, cst.BaseExpression] = {}
    for t in assign.targets:
        target, value = t.target, assign.value
        if isinstance(target, cst.Name) and holds_many(value):
            bound[target.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) \
                and len(target.elements) == len(value.elements):
            for name, item in zip(target.elements, value.elements):
                if isinstance(name.value, cst.Name) and holds_many(item.value):
                    bound[name.value.value] = item.value
    return bound
