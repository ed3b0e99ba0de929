"""Reading tracking calls back from candidate code: aliases, active runs, what gets logged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mlops_adapt.analysis.exprs import (
    block_body,
    calls_in,
    code,
    dotted,
    imports_of,
    inner_blocks,
    last_name,
    names_in,
    nodes_of,
    string_value,
)
from mlops_adapt.analysis.lines import statement_lines
from mlops_adapt.analysis.model import Facts
from mlops_adapt.tasks.optimize_prune.rules import Site
from mlops_adapt.verify.rules.base import Recommendation
from mlops_adapt.vocabulary import RESET_VALUES, defines_the_model, slug


@dataclass
class LibCall:
    """A call into the target library, with its canonical name ('mlflow.log_metric')."""

    name: str
    node: cst.Call
    line: int
    active: bool  # statically inside an active run (or in a function, where it cannot be told)


@dataclass
class Logged:
    """Everything the logging calls mention: string keys, variable names and argument texts."""

    keys: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    texts: list[str] = field(default_factory=list)

    def covers(self, key: str, expr_names: set[str] = frozenset(), expr_text: str = "") -> bool:
        low = {k.lower() for k in self.keys}
        if key.lower() in low or slug(key) in low:
            return True
        if expr_names and expr_names <= self.names:
            return True
        flat = expr_text.replace(" ", "")
        return bool(flat) and any(flat in t.replace(" ", "") for t in self.texts)


def library_names(module: cst.Module, library: str) -> dict[str, str]:
    """Local name -> canonical dotted name for everything imported from `library`."""
    bound: dict[str, str] = {}
    for node in imports_of(module):
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = code(alias.name)
                if full.split(".")[0] == library:
                    local = code(alias.asname.name) if alias.asname else full.split(".")[0]
                    bound[local] = full if alias.asname else full.split(".")[0]
        elif node.module is not None and code(node.module).split(".")[0] == library:
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    local = code(alias.asname.name) if alias.asname else code(alias.name)
                    bound[local] = f"{code(node.module)}.{code(alias.name)}"
    return bound


def run_object_names(module: cst.Module, library: str, starts: set[str]) -> set[str]:
    """Local names bound to the run a start call returns: `run = wandb.init(...)`, `with wandb.init() as run`."""
    aliases = library_names(module, library)
    found: set[str] = set()

    def starts_run(expr: cst.BaseExpression | None) -> bool:
        if not isinstance(expr, cst.Call):
            return False
        name = dotted(expr.func) or ""
        head, _, rest = name.partition(".")
        if head not in aliases:
            return False
        full = f"{aliases[head]}.{rest}" if rest else aliases[head]
        return full in starts

    for node in nodes_of(module, (cst.Assign, cst.AnnAssign, cst.WithItem)):
        if isinstance(node, cst.WithItem):
            if node.asname is not None and isinstance(node.asname.name, cst.Name) and starts_run(node.item):
                found.add(node.asname.name.value)
        elif isinstance(node, cst.Assign):
            if starts_run(node.value):
                found |= {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}
        elif isinstance(node.target, cst.Name) and starts_run(node.value):
            found.add(node.target.value)
    return found - set(aliases)


def library_calls(
    module: cst.Module, library: str, starts: set[str], ends: set[str], run_objects: bool = False
) -> list[LibCall]:
    """Every call into the library, each marked with whether a run is active at that point.

    With `run_objects` (W&B), calls on the run a start call returned count as the library's own:
    `run.log(...)` is `wandb.log(...)`, `run.finish()` is `wandb.finish()`; so does `wandb.run.log`.
    """
    aliases = library_names(module, library)
    runs = run_object_names(module, library, starts) if run_objects else set()
    lines = statement_lines(module, module.code)
    out: list[LibCall] = []

    def canonical(call: cst.Call) -> str | None:
        name = dotted(call.func)
        if not name:
            return None
        head, _, rest = name.partition(".")
        if head in runs and rest:
            return f"{library}.{rest}"
        if head not in aliases:
            return None
        full = f"{aliases[head]}.{rest}" if rest else aliases[head]
        if run_objects and full.startswith(f"{library}.run.") and full != f"{library}.run.":
            full = f"{library}.{full[len(library) + 5:]}"
        return full

    # The run state at each point: True (a run is active), False (none is), None (unknown: inside
    # a function, which may be called while a run is active; calls there count as active).
    def visit_block(body, active: bool | None) -> bool | None:
        for stmt in body:
            active = visit_stmt(stmt, active)
        return active

    def visit_stmt(stmt, active: bool | None) -> bool | None:
        if isinstance(stmt, cst.SimpleStatementLine):
            for call in calls_in(stmt):
                name = canonical(call)
                if name is None:
                    continue
                out.append(LibCall(name, call, lines.get(id(stmt), 0), active is not False or name in starts))
                if name in starts:
                    active = True
                elif name in ends:
                    active = False
            return active
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            inner = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else []
            visit_block(inner, None)
            return active
        if isinstance(stmt, cst.With):
            opens = False
            for item in stmt.items:
                for call in calls_in(item):
                    name = canonical(call)
                    if name:
                        out.append(LibCall(name, call, lines.get(id(stmt), 0), True))
                        opens = opens or name in starts
            visit_block(block_body(stmt.body), True if opens else active)
            # Leaving `with <start>(...)` ends the run it opened (an outer run stays active).
            return (active is True) if opens else active
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            # The normal path runs the body, then else, then finally: a `finally: end_run()` ends
            # the run for what follows. Handlers start from the body's state and fall back to it.
            state = visit_block(block_body(stmt.body), active)
            for handler in stmt.handlers:
                visit_block(block_body(handler.body), state)
            if stmt.orelse is not None:
                state = visit_block(block_body(stmt.orelse.body), state)
            if stmt.finalbody is not None:
                state = visit_block(block_body(stmt.finalbody.body), state)
            return state
        # Other compound statements: headers run in the current state, bodies inherit it.
        for child_name in ("test", "iter"):
            child = getattr(stmt, child_name, None)
            if child is not None:
                for call in calls_in(child):
                    name = canonical(call)
                    if name:
                        out.append(LibCall(name, call, lines.get(id(stmt), 0), active is not False))
        state = visit_block(block_body(getattr(stmt, "body", None)), active)
        for extra in _else_blocks(stmt):
            after = visit_block(extra, state)
            state = after if after is not False else state
        return state

    visit_block(module.body, False)
    return out


def _else_blocks(stmt) -> list[list]:
    blocks = []
    orelse = getattr(stmt, "orelse", None)
    while orelse is not None:
        blocks.append(block_body(orelse.body))
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    for handler in getattr(stmt, "handlers", ()) or ():
        blocks.append(block_body(handler.body))
    final = getattr(stmt, "finalbody", None)
    if final is not None:
        blocks.append(block_body(final.body))
    return blocks


def logged_by(calls: list[LibCall], names: set[str], module: cst.Module | None = None) -> Logged:
    """What the given logging calls mention.

    With `module`, a logged variable also brings what it was built from: `params = {"lr": lr}`
    then `mlflow.log_params(params)` logs `lr` (two levels of such names are followed).
    """
    values = _assigned_values(module) if module is not None else {}
    logged = Logged()
    for call in calls:
        if call.name.split(".")[-1] not in names and call.name not in names:
            continue
        pending = [arg.value for arg in call.node.args]
        seen: set[str] = set()
        for _ in range(3):
            follow: list[cst.BaseExpression] = []
            for value in pending:
                logged.texts.append(code(value))
                mentioned = names_in(value)
                logged.names |= mentioned
                for node in nodes_of(value, (cst.SimpleString, cst.FormattedStringText)):
                    text = string_value(node) if isinstance(node, cst.SimpleString) else node.value
                    if text:
                        logged.keys.add(text.strip("/").split("/")[-1])
                for name in mentioned - seen:
                    seen.add(name)
                    follow.extend(values.get(name, ()))
            pending = follow
    return logged


def _assigned_values(module: cst.Module) -> dict[str, list[cst.BaseExpression]]:
    """Plain name -> the values assigned to it anywhere in the module."""
    found: dict[str, list[cst.BaseExpression]] = {}
    for node in nodes_of(module, (cst.Assign,)):
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                found.setdefault(target.target.value, []).append(node.value)
    return found


SCRIPT_LEVEL_KINDS = ("constant", "argparse", "config-dict", "dataclass")


def required_hyperparam(h, facts: Facts) -> bool:
    """Must a tracking edit log this hyperparameter, or is logging it only recommended?

    Required: what defines the trained model and is set at script level (constants, argparse
    defaults, config dicts and dataclasses), or constructor literals when the script has no such
    settings. Recommended: seeds, split sizes and bookkeeping, defaults of helper functions'
    parameters, and constructor literals beside script-level settings.
    """
    if not defines_the_model(h.name):
        return False
    if h.kind == "constant" and h.owner:
        return False  # `def train_epoch(..., batch_size=64)`: a helper's default
    if h.kind == "ctor-kwarg":
        return not any(
            o.kind in SCRIPT_LEVEL_KINDS and defines_the_model(o.name) and not (o.kind == "constant" and o.owner)
            for o in facts.hyperparams
        )
    return True


def missing_hyperparams(facts: Facts, logged: Logged, autolog: bool) -> list[str]:
    """Detected hyperparameters that no logging call mentions."""
    missing = []
    for h in facts.hyperparams:
        if autolog and h.kind == "ctor-kwarg":
            continue
        owner_names = set(re.findall(r"[A-Za-z_]\w*", h.owner or "")) - {"vars", "dataclasses", "asdict"}
        if h.kind in ("argparse", "config-dict", "dataclass") and owner_names & logged.names:
            continue
        if logged.covers(h.name, {h.name} if h.name.isidentifier() else set(), h.value or ""):
            continue
        if h.kind == "ctor-kwarg" and h.value and h.value.isidentifier() and h.value in logged.names:
            continue
        message = f"hyperparameter `{h.name}` (line {h.line} of the original) is not logged"
        # Seeds and split sizes are worth logging, but the run still describes the trained model.
        missing.append(message if required_hyperparam(h, facts) else Recommendation(message))
    return missing


def derived_names(module: cst.Module) -> dict[str, set[str]]:
    """Each assigned or loop-bound name -> every name its value was computed from (transitively).

    `mean_r2 = float(np.mean(scores))` and `for fold, score in enumerate(scores):` both make
    `scores` a source of the new names, so logging them logs the cross-validation result.
    """
    direct: dict[str, set[str]] = {}
    for node in nodes_of(module, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.For, cst.NamedExpr)):
        if isinstance(node, cst.For):
            targets, value = [node.target], node.iter
        elif isinstance(node, cst.Assign):
            targets, value = [t.target for t in node.targets], node.value
        else:
            targets, value = [node.target], node.value
        if value is None:
            continue
        sources = names_in(value)
        for target in targets:
            for name in _bound_names(target):
                direct.setdefault(name, set()).update(sources - {name})
    closed: dict[str, set[str]] = {}
    for name, sources in direct.items():
        seen: set[str] = set()
        todo = list(sources)
        while todo:
            item = todo.pop()
            if item in seen:
                continue
            seen.add(item)
            todo.extend(direct.get(item, ()))
        closed[name] = seen
    return closed


def _bound_names(target: cst.BaseExpression) -> list[str]:
    """Plain names a target binds (`a`, `a, b`), not attributes or subscripts it writes into."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _bound_names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _bound_names(target.value)
    return []


def reported_names(module: cst.Module) -> set[str]:
    """Names the script shows to its user: arguments of print and logging calls."""
    shown: set[str] = set()
    for call in calls_in(module):
        name = dotted(call.func) or ""
        last = name.rsplit(".", 1)[-1]
        if last in REPORTING_CALLS and not name.startswith(("mlflow.", "wandb.")):
            for arg in call.args:
                shown |= names_in(arg.value)
    return shown


# Calls that show a value to the script's user (stdout, a logger, a progress bar).
REPORTING_CALLS = frozenset({"print", "info", "warning", "debug", "write", "echo", "pprint", "set_postfix", "set_description"})


def missing_metrics(
    facts: Facts, logged: Logged, derived: dict[str, set[str]] | None = None, reported: set[str] | None = None
) -> list[str]:
    """Detected evaluation results that no logging call mentions.

    A result the script reports (prints or logs for its user) must be logged; one it only
    computes is a Recommendation. `reported` is reported_names(original); None counts all as reported.

    A cross-validation result (`scores.mean()`, kind "cv") also counts as logged when a logged
    value was computed from the score array itself (`derived`, from derived_names): per-fold
    scores logged in a loop, or their mean under another name.
    """
    missing = []
    for m in facts.metrics:
        base = m.expr.split("[")[0]
        if m.kind == "dict" and base in logged.names:
            continue
        if m.kind == "cv" and derived is not None:
            source = re.split(r"[.\[(]", m.expr, maxsplit=1)[0]
            if source in logged.names or any(source in derived.get(n, ()) for n in logged.names):
                continue
        expr_names = set(re.findall(r"[A-Za-z_]\w*", m.expr)) if m.kind in ("variable", "dict") else set()
        if logged.covers(m.name, expr_names, m.expr):
            continue
        message = f"metric `{m.name}` (line {m.line} of the original) is not logged"
        on_train = sorted({n for t in logged.texts for n in re.findall(r"\b\w*train\w*\b", t)})
        if on_train and not any("train" in n for n in re.findall(r"[A-Za-z_]\w*", m.expr)):
            message += f" (a value computed on the training split, `{on_train[0]}`, is logged instead)"
        shown = reported is None or m.kind == "printed" or bool(set(re.findall(r"[A-Za-z_]\w*", m.expr)) & reported)
        missing.append(message if shown else Recommendation(message))
    return missing


def call_sites(module: cst.Module, calls: list[cst.Call]) -> dict[int, Site]:
    """The statement (with its enclosing blocks) of each given call, by id of the call node.

    The chain stops at the innermost function or class: statements outside a `def` do not run
    in order with the statements inside it, so they are neither before nor after them.
    """
    wanted = {id(c) for c in calls}
    found: dict[int, Site] = {}

    def walk(block: list[cst.BaseStatement], chain: list) -> None:
        for index, stmt in enumerate(block):
            here = [(block, index), *chain]
            if isinstance(stmt, cst.SimpleStatementLine):
                for call in calls_in(stmt):
                    if id(call) in wanted:
                        found[id(call)] = Site(here)
                continue
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                walk(list(stmt.body.body) if isinstance(stmt.body, cst.IndentedBlock) else [], [])
                continue
            headers = [getattr(stmt, "items", None), getattr(stmt, "iter", None), getattr(stmt, "test", None)]
            for header in headers:
                for node in header if isinstance(header, (list, tuple)) else [header]:
                    if node is not None:
                        for call in calls_in(node):
                            if id(call) in wanted:
                                found[id(call)] = Site(here)
            for child in inner_blocks(stmt):
                walk(child, here)

    walk(list(module.body), [])
    return found


def trains(stmt: cst.BaseStatement, var: str, framework: str) -> str | None:
    """Source of the first call in a statement that trains `var`, else None."""
    for call in calls_in(stmt):
        text = code(call.func)
        if re.fullmatch(rf"{re.escape(var)}\.(fit|partial_fit|fit_transform)", text):
            return code(call)
        name = text.rsplit(".", 1)[-1]
        if re.match(r"(train|fit)(_|$)(?!test_split)", name) and any(var in names_in(a.value) for a in call.args):
            return code(call)  # `train(model, loader)`, `trainer.fit(model)`
        if framework == "torch" and name in ("backward", "step") and isinstance(call.func, cst.Attribute):
            return code(call)
    return None


def misreported_params(facts: Facts, calls: list[LibCall]) -> list[str]:
    """Params logged under a hyperparameter's name with a literal that is not the script's value.

    `mlflow.log_params({"lr": 0.01})` while the optimizer gets `lr=0.02`: the run describes
    another model than the one trained.
    """
    known: dict[str, set[str]] = {}
    for h in facts.hyperparams:
        value = _literal_text(h.value)
        if value is not None:
            known.setdefault(_key(h.name), set()).add(value)
    problems = []
    for call in calls:
        pairs: list[tuple[str, cst.BaseExpression]] = []
        args = call.node.args
        if len(args) >= 2 and string_value(args[0].value) is not None and args[1].keyword is None:
            pairs.append((string_value(args[0].value) or "", args[1].value))
        for arg in args:
            if isinstance(arg.value, cst.Dict):
                pairs += [
                    (string_value(e.key) or "", e.value) for e in arg.value.elements
                    if isinstance(e, cst.DictElement) and string_value(e.key) is not None
                ]
        for key, value in pairs:
            text = _literal_text(code(value))
            wanted = known.get(_key(key.split("/")[-1].split(".")[-1]))
            if text is not None and wanted and text not in wanted:
                problems.append(
                    f"`{call.name}` at line {call.line} logs `{key}` = {code(value)}, but the script's value is "
                    f"{' or '.join(sorted(wanted))}"
                )
    return problems


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _literal_text(text: str | None) -> str | None:
    """A canonical text for a number, string or bool literal, else None."""
    import ast

    if not text:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return repr(value) if isinstance(value, bool) else None
    return repr(float(value)) if isinstance(value, (int, float)) else repr(value)


def hard_coded_values(calls: list[LibCall], log_names: set[str]) -> list[str]:
    """Metric log calls whose value is a number written in the code, not a result the script computed."""
    problems = []
    for call in calls:
        if call.name.split(".")[-1] not in log_names:
            continue
        for arg in call.node.args:
            if arg.keyword is not None and arg.keyword.value in ("step", "commit", "timestamp"):
                continue
            values = [arg.value]
            if isinstance(arg.value, cst.Dict):
                values = [
                    e.value for e in arg.value.elements
                    if isinstance(e, cst.DictElement)
                    and (string_value(e.key) or "").lower() not in ("epoch", "step", "fold", "trial", "iteration")
                ]
            elif arg is call.node.args[0] and string_value(arg.value) is not None:
                continue  # the metric's key
            for value in values:
                if isinstance(value, (cst.Integer, cst.Float)) or (
                    isinstance(value, cst.UnaryOperation) and isinstance(value.expression, (cst.Integer, cst.Float))
                ):
                    problems.append(
                        f"`{call.name}` at line {call.line} logs the hard-coded value {code(value)}, "
                        "not a value the script computes"
                    )
    return problems




def logged_after_reset(candidate: cst.Module, calls: list[LibCall], log_names: set[str]) -> list[str]:
    """Log calls that record a variable right after it was reset (`test_loss = 0`), not the result it will hold.

    Walking back from the log call through its block and the enclosing ones, the nearest
    statement that binds the logged variable decides: a reset to 0 / None / an empty container
    means the logged value is not the one the script reports later.
    """
    logs = [c for c in calls if c.name.split(".")[-1] in log_names or c.name in log_names]
    sites = call_sites(candidate, [c.node for c in logs])
    problems = []
    for call in logs:
        site = sites.get(id(call.node))
        if site is None:
            continue
        names = set()
        for arg in call.node.args:
            if arg.keyword is None or arg.keyword.value in ("value", "data", "metrics"):
                names |= names_in(arg.value)
        for name in sorted(names):
            binding = _nearest_binding(site, name)
            if binding is not None and binding in RESET_VALUES:
                problems.append(
                    f"`{call.name}` at line {call.line} logs `{name}` right after it is reset to {binding}: "
                    "it records the reset value, not the result; log it where the script reports it"
                )
    return problems


def _nearest_binding(site: Site, name: str) -> str | None:
    """The value text of the nearest earlier plain `name = value`, or "" when something else binds it first.

    A loop around the log call that updates the name (`epoch += 1` at its end) makes the
    earlier reset a start value, not the value every iteration logs.
    """
    for depth, (block, index) in enumerate(site.chain):
        if depth and isinstance(block[index], (cst.For, cst.While)) and name in _bound_anywhere(block[index]):
            return ""
        for stmt in reversed(block[:index]):
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in reversed(stmt.body):
                    if isinstance(small, cst.Assign) and any(
                        name in _bound_names(t.target) for t in small.targets
                    ):
                        return code(small.value).strip()
                    if isinstance(small, (cst.AugAssign, cst.AnnAssign)) and name in _bound_names(small.target):
                        return ""
                    if name in _mutated(small):
                        return ""
            elif name in _bound_anywhere(stmt):
                return ""
    return None


# Methods that fill a container in place (`scores.append(s)` after `scores = []`).
_MUTATORS = frozenset({"append", "extend", "insert", "update", "add", "setdefault", "__setitem__"})
# Calls that only read what they are given: passing a container to them does not fill it.
_READERS = frozenset({
    "print", "len", "str", "repr", "format", "sorted", "list", "dict", "tuple", "set", "float", "int",
    "round", "sum", "min", "max", "isinstance", "type", "id", "bool", "enumerate", "zip", "iter",
    "info", "debug", "warning", "write",
})


def _mutated(node: cst.CSTNode) -> set[str]:
    """Names whose object a node changes in place: `x.append(...)`, `x[k] = v`, or an out-parameter
    handed to a call that fills it (`xgb.train(..., evals_result=history)`, `record_evaluation(history)`)."""
    found: set[str] = set()
    for call in calls_in(node):
        if isinstance(call.func, cst.Attribute) and call.func.attr.value in _MUTATORS:
            if isinstance(call.func.value, cst.Name):
                found.add(call.func.value.value)
        if last_name(call) not in _READERS:
            found |= {a.value.value for a in call.args if isinstance(a.value, cst.Name) and not a.star}
    for assign in nodes_of(node, (cst.Assign,)):
        for target in assign.targets:
            if isinstance(target.target, cst.Subscript) and isinstance(target.target.value, cst.Name):
                found.add(target.target.value.value)
    return found


def _bound_anywhere(stmt: cst.CSTNode) -> set[str]:
    """Names bound anywhere inside a compound statement (assignments, loop targets, `with ... as`)."""
    found: set[str] = _mutated(stmt)
    for node in nodes_of(stmt, (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.For, cst.WithItem, cst.NamedExpr)):
        if isinstance(node, cst.Assign):
            for target in node.targets:
                found |= set(_bound_names(target.target))
        elif isinstance(node, cst.For):
            found |= set(_bound_names(node.target))
        elif isinstance(node, cst.WithItem):
            if node.asname is not None:
                found |= set(_bound_names(node.asname.name))
        else:
            found |= set(_bound_names(node.target))
    return found
