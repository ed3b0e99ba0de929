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


def names_in(node: cst.CSTNode) -> set[str]:
    """Every bare Name used in a node."""
    found: set[str] = set()

    class _Names(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.add(n.value)

    node.visit(_Names())
    return found


def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """Every call inside a node, outermost first."""
    found: list[cst.Call] = []

    class _Calls(cst.CSTVisitor):
        def visit_Call(self, n: cst.Call) -> None:
            found.append(n)

        # Nested function bodies run later, not as part of this statement.
        def visit_Lambda(self, n: cst.Lambda) -> bool:
            return False

    node.visit(_Calls())
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
