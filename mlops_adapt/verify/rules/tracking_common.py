"""Reading tracking calls back from candidate code: aliases, active runs, what gets logged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mlops_adapt.analysis.exprs import calls_in, code, dotted, imports_of, names_in, nodes_of, string_value
from mlops_adapt.analysis.lines import statement_lines
from mlops_adapt.analysis.model import Facts
from mlops_adapt.analysis.names import slug


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


def _walk(node: cst.CSTNode, types) -> list:
    return nodes_of(node, types)


def library_calls(module: cst.Module, library: str, starts: set[str], ends: set[str]) -> list[LibCall]:
    """Every call into the library, each marked with whether a run is active at that point."""
    aliases = library_names(module, library)
    lines = statement_lines(module, module.code)
    out: list[LibCall] = []

    def canonical(call: cst.Call) -> str | None:
        name = dotted(call.func)
        if not name:
            return None
        head, _, rest = name.partition(".")
        if head not in aliases:
            return None
        return f"{aliases[head]}.{rest}" if rest else aliases[head]

    def visit_block(body, active: bool, in_function: bool) -> bool:
        for stmt in body:
            active = visit_stmt(stmt, active, in_function)
        return active

    def calls_of(node: cst.CSTNode) -> list[cst.Call]:
        return calls_in(node)

    def visit_stmt(stmt, active: bool, in_function: bool) -> bool:
        if isinstance(stmt, cst.SimpleStatementLine):
            for call in calls_of(stmt):
                name = canonical(call)
                if name is None:
                    continue
                out.append(LibCall(name, call, lines.get(id(stmt), 0), active or in_function or name in starts))
                if name in starts:
                    active = True
                elif name in ends:
                    active = False
            return active
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            inner = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else []
            if isinstance(stmt, cst.ClassDef):
                visit_block(inner, active, True)
            else:
                visit_block(inner, True, True)
            return active
        if isinstance(stmt, cst.With):
            opens = False
            for item in stmt.items:
                for call in calls_of(item):
                    name = canonical(call)
                    if name:
                        out.append(LibCall(name, call, lines.get(id(stmt), 0), True))
                        opens = opens or name in starts
            visit_block(_body(stmt.body), active or opens, in_function)
            return active
        # Other compound statements: headers run in the current state, bodies inherit it.
        for child_name in ("test", "iter"):
            child = getattr(stmt, child_name, None)
            if child is not None:
                for call in calls_of(child):
                    name = canonical(call)
                    if name:
                        out.append(LibCall(name, call, lines.get(id(stmt), 0), active or in_function))
        state = visit_block(_body(getattr(stmt, "body", None)), active, in_function)
        for extra in _else_blocks(stmt):
            state = visit_block(extra, state, in_function) or state
        return state

    visit_block(module.body, False, False)
    return out


def _body(block) -> list:
    if isinstance(block, cst.IndentedBlock):
        return list(block.body)
    return []


def _else_blocks(stmt) -> list[list]:
    blocks = []
    orelse = getattr(stmt, "orelse", None)
    while orelse is not None:
        blocks.append(_body(orelse.body))
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    for handler in getattr(stmt, "handlers", ()) or ():
        blocks.append(_body(handler.body))
    final = getattr(stmt, "finalbody", None)
    if final is not None:
        blocks.append(_body(final.body))
    return blocks


def logged_by(calls: list[LibCall], names: set[str]) -> Logged:
    """What the given logging calls mention."""
    logged = Logged()
    for call in calls:
        if call.name.split(".")[-1] not in names and call.name not in names:
            continue
        for arg in call.node.args:
            logged.texts.append(code(arg.value))
            logged.names |= names_in(arg.value)
            for node in _walk(arg.value, (cst.SimpleString, cst.FormattedStringText)):
                text = string_value(node) if isinstance(node, cst.SimpleString) else node.value
                if text:
                    logged.keys.add(text.strip("/").split("/")[-1])
    return logged


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
        missing.append(f"hyperparameter `{h.name}` (line {h.line}) is not logged")
    return missing


def missing_metrics(facts: Facts, logged: Logged) -> list[str]:
    """Detected evaluation results that no logging call mentions."""
    missing = []
    for m in facts.metrics:
        base = m.expr.split("[")[0]
        if m.kind == "dict" and base in logged.names:
            continue
        expr_names = set(re.findall(r"[A-Za-z_]\w*", m.expr)) if m.kind in ("variable", "dict") else set()
        if logged.covers(m.name, expr_names, m.expr):
            continue
        missing.append(f"metric `{m.name}` (line {m.line}) is not logged")
    return missing
