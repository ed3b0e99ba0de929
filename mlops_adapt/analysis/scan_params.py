"""The Scanner's hyperparameter half: records where settings are defined, to log or tune them."""

from __future__ import annotations

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import (
    block_body,
    body_start,
    call_name,
    code,
    is_literal,
    last_name,
)
from mlops_adapt.analysis.hyperparams import (
    constant_assignment,
    declared_globals,
    dict_keys,
    grown_in_loop,
    is_config_dict,
    is_declarative,
    is_hyperparam_name,
    is_main_guard,
    overridable_default,
    statement_targets,
)
from mlops_adapt.analysis.sites import Ctx, ParamSite, Scan


class ParamRecorder:
    """Hyperparameter sites of a Scanner (mixed into it; reads its pre-pass tables)."""

    # Filled by Scanner: its result, and the tables its pre-pass (_collect) builds.
    scan: Scan
    functions: dict[str, cst.FunctionDef]
    methods: dict[tuple[str, str], cst.FunctionDef]
    classes: set[str]
    dataclasses: dict[str, list[str]]
    config_classes: dict[str, list[str]]
    training_classes: set[str]
    estimator_classes: set[str]
    trainer_funcs: set[str]
    argparse_dests: list[str]
    module_const_names: set[str]
    call_counts: dict[str, int]

    def _module_level(self, module: cst.Module) -> None:
        """Module constants, the main guard and the first statement that does work."""
        counts: dict[str, int] = {}
        for stmt in module.body:
            for name in statement_targets(stmt):
                counts[name] = counts.get(name, 0) + 1
        globals_in_functions = {
            n.value for f in self.functions.values() for g in declared_globals(f) for n in [g]
        }
        for stmt in module.body:
            if is_main_guard(stmt):
                self.scan.main_guard = stmt  # type: ignore[assignment]
                if self.scan.first_exec is None:
                    self.scan.first_exec = stmt
                self._guard_constants(stmt, counts, globals_in_functions)
                continue
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            if isinstance(stmt, cst.SimpleStatementLine):
                const = constant_assignment(stmt)
                default = overridable_default(const[1]) if const else None
                # EPOCHS = int(sys.argv[1]) if ... else 40: a hyperparameter with a default
                if default is not None and counts.get(const[0]) == 1 and is_hyperparam_name(const[0], default):
                    self.module_const_names.add(const[0])
                if all(is_declarative(s) for s in stmt.body):
                    const = constant_assignment(stmt)
                    if const and counts.get(const[0]) == 1 and const[0] not in globals_in_functions:
                        if is_hyperparam_name(const[0], const[1]):
                            self.module_const_names.add(const[0])
                    continue
            if self.scan.first_exec is None:
                self.scan.first_exec = stmt

    def _guard_constants(self, guard: cst.If, counts: dict[str, int], globals_in_functions: set[str]) -> None:
        """`if __name__ == "__main__":` opening with `num_epochs = 3`, `learning_rate = 1e-3`: the script's
        constants, set once at the top of the guard before any work."""
        for stmt in block_body(guard.body):  # `counts` holds what the guard binds too
            if not (isinstance(stmt, cst.SimpleStatementLine) and all(is_declarative(s) for s in stmt.body)):
                break
            const = constant_assignment(stmt)
            if not const or counts.get(const[0], 0) != 1 or const[0] in globals_in_functions:
                continue
            empty = isinstance(const[1], (cst.List, cst.Tuple, cst.Dict, cst.Set)) and not const[1].elements
            if is_literal(const[1]) and not empty and is_hyperparam_name(const[0], const[1]) and not vocab.is_metric_name(const[0]):
                self.module_const_names.add(const[0])

    def _function_defaults(self, func: cst.FunctionDef, outer: Ctx) -> None:
        """Literal parameter defaults of a training function (or a trainer's __init__) are hyperparameters."""
        name = func.name.value
        if name == "__init__":
            owner = outer.cls.name.value if outer.cls else None
            if owner is None or owner not in self.training_classes or self.call_counts.get(owner, 0) > 1:
                return
            if owner in self.estimator_classes:
                # sklearn builds such an estimator outside the run and again on every clone
                # (cross_val_score, GridSearchCV): its constructor's literal arguments are logged instead.
                return
        elif name not in self.trainer_funcs or self.call_counts.get(name, 0) != 1:
            return
        entries = [
            (p.name.value, p.name.value)
            for p in list(func.params.params) + list(func.params.kwonly_params)
            if p.default is not None and is_literal(p.default) and p.name.value not in ("self", "cls")
            and is_hyperparam_name(p.name.value, p.default) and p.name.value not in ("verbose", "debug")
        ]
        body = block_body(func.body)
        if not entries or not body:
            return
        first, where = body_start(body)
        self._param(first, where, "local", entries=entries, ctx=Ctx(func, outer.cls, ()),
                    line=self.scan.line_of(func), owner=name)

    def _flush_locals(self, local_groups: list, ctx: Ctx) -> None:
        if not local_groups:
            return
        last_stmt = local_groups[-1][0]
        entries = [(name, name) for _, name, _ in local_groups]
        self._param(last_stmt, "after", "local", entries=entries, ctx=ctx, line=local_groups[0][2])
        local_groups.clear()

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

    def _inline_config(self, call: cst.Call, callee: str) -> None:
        """train(parser.parse_args()) or Experiment(Settings()): log the settings where the callee
        receives them (a function's parameter, or a class's __init__ parameter)."""
        func, offset = self.functions.get(callee), 0
        if callee in self.classes:
            func, offset = self.methods.get((callee, "__init__")), 1  # skip `self`
        if func is None or self.call_counts.get(callee, 0) != 1:
            return
        params = list(func.params.params)[offset:]
        body = block_body(func.body)
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
            first, where = body_start(body)
            self._param(first, where, kind, whole=whole, keys=keys, ctx=Ctx(func, None, ()),
                        line=self.scan.line_of(func), owner=callee)
            return

    def _param(self, anchor, where, kind, *, entries=None, whole=None, keys=None, ctx=None, line=0, owner=None):
        self.scan.params.append(
            ParamSite(anchor, where, kind, list(entries or []), whole, list(keys or []), owner, line, ctx)
        )

    def _param_assignment(self, stmt, value, targets: list, names: list[str], single: str | None, ctx: Ctx,
                          line: int, local_groups: list) -> bool:
        """Record a hyperparameter site for `names = value`; True when the assignment was one."""
        if single and isinstance(value, cst.Call) and last_name(value) in ("parse_args", "parse_known_args"):
            self._param(stmt, "after", "argparse", whole=f"vars({single})", keys=self.argparse_dests, ctx=ctx, line=line)
            return True
        if (
            len(names) == 2 and isinstance(value, cst.Call)
            and last_name(value) == "parse_known_args" and isinstance(targets[0], cst.Tuple)
        ):
            self._param(stmt, "after", "argparse", whole=f"vars({names[0]})", keys=self.argparse_dests, ctx=ctx, line=line)
            return True
        if single and is_config_dict(value, single) and not grown_in_loop(self.scan.module, single):
            keys = dict_keys(value)
            self._param(stmt, "after", "config-dict", whole=single, keys=keys, ctx=ctx, line=line, owner=single)
            return True
        if single and isinstance(value, cst.Call) and (call_name(value) or "") in self.dataclasses:
            cls = call_name(value) or ""
            self._param(stmt, "after", "dataclass", whole=f"dataclasses.asdict({single})",
                        keys=self.dataclasses[cls], ctx=ctx, line=line, owner=cls)
            return True
        if single and isinstance(value, cst.Call) and not value.args and (call_name(value) or "") in self.config_classes:
            cls = call_name(value) or ""
            entries = [(attr, f"{single}.{attr}") for attr in self.config_classes[cls]]
            self._param(stmt, "after", "config-class", entries=entries, ctx=ctx, line=line, owner=cls)
            return True
        if ctx.module_level and single and single in self.module_const_names:
            self._param(stmt, "after", "constant", entries=[(single, single)], ctx=ctx, line=line)
            return True
        if (
            ctx.function is not None and not ctx.loops and single and is_literal(value)
            and is_hyperparam_name(single, value) and not vocab.is_metric_name(single)
            and self._assigned_once(ctx.function, single)
            and (ctx.function.name.value in self.trainer_funcs or ctx.function.name.value == "main")
        ):
            local_groups.append((stmt, single, line))
            return True
        return False

    def _ctor_kwargs(self, stmt, call: cst.Call, short: str, qual: str, ctx: Ctx, line: int) -> None:
        """Literal keyword arguments of a model, optimizer or data constructor are hyperparameters."""
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
