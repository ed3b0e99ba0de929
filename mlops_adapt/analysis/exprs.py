"""Small helpers that read libcst expressions: dotted names, literals, calls, source text."""

from __future__ import annotations

import libcst as cst

_EMPTY = cst.Module(body=[])


def code(node: cst.CSTNode) -> str:
    """Source text of a node."""
    return _EMPTY.code_for_node(node)


def dotted(expr: cst.BaseExpression | None) -> str | None:
    """'a.b.c' for Name/Attribute chains, else None."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        head = dotted(expr.value)
        return f"{head}.{expr.attr.value}" if head else None
    return None


def call_name(call: cst.Call) -> str | None:
    """Dotted name of the called function ('np.sqrt', 'model.fit'), if it has one."""
    return dotted(call.func)


def last_name(call: cst.Call) -> str | None:
    """The last component of the called name ('fit' for 'model.fit')."""
    name = call_name(call)
    if name:
        return name.rsplit(".", 1)[-1]
    if isinstance(call.func, cst.Attribute):
        return call.func.attr.value
    return None


def receiver(call: cst.Call) -> str | None:
    """Dotted name of the object a method is called on ('model' for 'model.fit(...)')."""
    if isinstance(call.func, cst.Attribute):
        return dotted(call.func.value)
    return None


def is_literal(expr: cst.BaseExpression) -> bool:
    """True for numbers, strings, booleans, None, and tuples/lists of those."""
    if isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(expr, cst.Name) and expr.value in ("True", "False", "None"):
        return True
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return isinstance(expr.expression, (cst.Integer, cst.Float))
    if isinstance(expr, (cst.Tuple, cst.List)):
        return bool(expr.elements) and all(is_literal(e.value) for e in expr.elements)
    return False


def is_number(expr: cst.BaseExpression) -> bool:
    """True for an int or float literal, optionally negated."""
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        expr = expr.expression
    return isinstance(expr, (cst.Integer, cst.Float))


def string_value(expr: cst.BaseExpression) -> str | None:
    """The value of a plain string literal."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


_FIELDS: dict[type, tuple[str, ...]] = {}
_IS_NODE: dict[type, bool] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = _FIELDS.get(node_type)
    if fields is None:
        fields = tuple(node_type.__dataclass_fields__)  # type: ignore[attr-defined]
        _FIELDS[node_type] = fields
    return fields


def _is_node(value_type: type) -> bool:
    # A dict lookup per value: isinstance against libcst's ABCs is the slow part of a walk.
    known = _IS_NODE.get(value_type)
    if known is None:
        known = _IS_NODE[value_type] = issubclass(value_type, cst.CSTNode)
    return known


def iter_nodes(node: cst.CSTNode, skip: tuple[type, ...] = ()):
    """Every node under `node` (itself included), depth first in source order.

    Reads the dataclass fields directly: libcst's own visitors rebuild every node they pass, which
    made analysis ten times slower on real scripts.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        children = []
        for name in _child_fields(type(current)):
            value = getattr(current, name)
            value_type = type(value)
            if value_type is tuple or value_type is list:
                children.extend(v for v in value if _is_node(type(v)) and not (skip and isinstance(v, skip)))
            elif _is_node(value_type) and not (skip and isinstance(value, skip)):
                children.append(value)
        stack.extend(reversed(children))


def names_in(node: cst.CSTNode) -> set[str]:
    """Every bare Name used in a node."""
    return {n.value for n in iter_nodes(node) if type(n) is cst.Name}


_CALLS: dict[int, tuple[cst.CSTNode, list[cst.Call]]] = {}


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """Every call inside a node, outermost first (lambda bodies excluded: they run later).

    Memoised per node: analysis asks the same question of the same function bodies many times.
    The node is kept with the answer, so its id cannot be reused while the entry lives.
    """
    hit = _CALLS.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    if len(_CALLS) > 200_000:
        _CALLS.clear()
    found = [n for n in iter_nodes(node, skip=(cst.Lambda,)) if type(n) is cst.Call]
    _CALLS[id(node)] = (node, found)
    return found


def imports_of(module: cst.Module) -> list:
    """Every Import / ImportFrom statement, without descending into expressions."""
    return [
        n for n in iter_nodes(module, skip=(cst.BaseExpression,))
        if type(n) is cst.Import or type(n) is cst.ImportFrom
    ]


_NODES: dict[tuple[int, object], tuple[cst.CSTNode, list]] = {}
_STATEMENT_TYPES = (cst.BaseStatement, cst.BaseSmallStatement)


def nodes_of(node: cst.CSTNode, types) -> list:
    """Every node of the given type(s) under `node`.

    Memoised like calls_in. Statements never sit inside expressions, so a search for statement
    types (defs, loops, returns) does not walk expressions, most of a module's nodes.
    """
    key = (id(node), types)
    hit = _NODES.get(key)
    if hit is not None and hit[0] is node:
        return hit[1]
    if len(_NODES) > 50_000:
        _NODES.clear()
    kinds = types if isinstance(types, tuple) else (types,)
    skip = (cst.BaseExpression,) if all(issubclass(k, _STATEMENT_TYPES) for k in kinds) else ()
    found = [n for n in iter_nodes(node, skip=skip) if isinstance(n, types)]
    _NODES[key] = (node, found)
    return found


def assigned_names(target: cst.BaseAssignTargetExpression) -> list[str]:
    """Names bound by an assignment target (tuple unpacking included)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        out: list[str] = []
        for element in target.elements:
            out.extend(assigned_names(element.value))  # type: ignore[arg-type]
        return out
    return []


def main_guard_exits(guard: cst.If) -> bool:
    """The `if __name__ == "__main__":` body ends with sys.exit(...), exit(...) or raise SystemExit(...)."""
    last = guard.body.body[-1] if isinstance(guard.body, cst.IndentedBlock) else None
    if not isinstance(last, cst.SimpleStatementLine):
        return False
    small = last.body[-1]
    value = small.value if isinstance(small, cst.Expr) else small.exc if isinstance(small, cst.Raise) else None
    return isinstance(value, cst.Call) and dotted(value.func) in ("sys.exit", "exit", "SystemExit")
