"""The shared libcst reading helpers: names, literals, calls, statement blocks and body anchors."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator

import libcst as cst

_EMPTY = cst.Module(body=[])


def code(node: cst.CSTNode) -> str:
    """Source text of a node."""
    return _EMPTY.code_for_node(node)


def dotted(expr: cst.BaseExpression | None) -> str | None:
    """'a.b.c' for Name/Attribute chains, else None."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):  # a loop, not recursion: chains can be long
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


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


def literal_value(node: cst.BaseExpression | None) -> object:
    """The Python value of a literal node, or NOT_LITERAL when it is not a literal."""
    if node is None:
        return NOT_LITERAL
    try:
        return ast.literal_eval(code(node))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return NOT_LITERAL


NOT_LITERAL = object()  # literal_value's answer for anything that is not a literal


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



def statement_lists(node: cst.CSTNode):
    """Every statement list under `node` (a module's, a function's, a class's or an if's body), depth first.

    statement_blocks differs: breadth first, with the enclosing function, and no class bodies."""
    for block in iter_nodes(node, skip=(cst.BaseExpression,)):
        body = getattr(block, "body", None)
        if isinstance(body, (list, tuple)) and body and isinstance(body[0], cst.BaseStatement):
            yield body

def names_in(node: cst.CSTNode) -> set[str]:
    """Every bare Name used in a node."""
    return {n.value for n in iter_nodes(node) if type(n) is cst.Name}


_CALLS: dict[tuple[int, bool], tuple[cst.CSTNode, list[cst.Call]]] = {}


def calls_in(node: cst.CSTNode, *, lambdas: bool = False) -> list[cst.Call]:
    """Every call inside a node, outermost first; lambda bodies only with `lambdas` (they run later).

    Memoised per node: analysis asks the same question of the same function bodies many times.
    The node is kept with the answer, so its id cannot be reused while the entry lives.
    """
    key = (id(node), lambdas)
    hit = _CALLS.get(key)
    if hit is not None and hit[0] is node:
        return hit[1]
    if len(_CALLS) > 200_000:
        _CALLS.clear()
    skip = () if lambdas else (cst.Lambda,)
    found = [n for n in iter_nodes(node, skip=skip) if type(n) is cst.Call]
    _CALLS[key] = (node, found)
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
    """Names bound by an assignment target (tuple unpacking included), left to right."""
    out: list[str] = []
    stack = [target]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            out.append(current.value)
        elif isinstance(current, (cst.Tuple, cst.List)):
            stack.extend(reversed([element.value for element in current.elements]))
    return out


def fresh_name(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`... : the first that is not taken."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def functions(module: cst.Module) -> dict[str, cst.FunctionDef]:
    """Every function and method defined anywhere in the module, the first one of each name."""
    found: dict[str, cst.FunctionDef] = {}
    for func in nodes_of(module, cst.FunctionDef):
        found.setdefault(func.name.value, func)
    return found


# ------------------------------------------------------------------ statements and blocks
def block_body(block) -> list:
    """The statements of an indented block; [] for a one-line suite or None."""
    return list(block.body) if isinstance(block, cst.IndentedBlock) else []


def inner_blocks(stmt: cst.CSTNode) -> list[list]:
    """The statement lists directly inside a compound statement, in source order.

    Body, except handlers, every elif/else branch, finally; a def or class gives its body.
    """
    blocks = [block_body(getattr(stmt, "body", None))] if isinstance(getattr(stmt, "body", None), cst.IndentedBlock) else []
    for handler in getattr(stmt, "handlers", ()) or ():
        blocks.append(block_body(handler.body))
    orelse = getattr(stmt, "orelse", None)
    while orelse is not None:  # an elif chain, followed to its end
        blocks.append(block_body(orelse.body))
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    final = getattr(stmt, "finalbody", None)
    if final is not None:
        blocks.append(block_body(final.body))
    return blocks


def all_statements(block) -> Iterator[cst.BaseStatement]:
    """Every statement under a block (a Module, IndentedBlock or list), depth first in source order.

    Iterative: nesting depth costs no recursion, and each statement is visited once.
    """
    body = block.body if isinstance(block, (cst.IndentedBlock, cst.Module)) else block
    stack: list[Iterator] = [iter(body if isinstance(body, (list, tuple)) else ())]
    while stack:
        stmt = next(stack[-1], _DONE)
        if stmt is _DONE:
            stack.pop()
            continue
        yield stmt
        if not isinstance(stmt, cst.SimpleStatementLine):
            stack.append(s for inner in inner_blocks(stmt) for s in inner)


_DONE = object()


def nested_blocks(body: list, *, into_defs: bool = False) -> Iterator[list]:
    """This statement list, then every list nested in its compound statements, depth first.

    Function and class bodies are entered only with `into_defs`.
    """
    stack = [body]
    while stack:
        current = stack.pop()
        yield current
        inner = [
            block for stmt in current
            if into_defs or not isinstance(stmt, (cst.FunctionDef, cst.ClassDef))
            for block in inner_blocks(stmt)
        ]
        stack.extend(reversed(inner))


def statement_blocks(module: cst.Module) -> Iterator[tuple[list, cst.FunctionDef | None]]:
    """(statement list, enclosing function or None), breadth first: the module, its compound
    statements, its functions and its classes' methods (a class's other statements are skipped)."""
    queue: deque[tuple[list, cst.FunctionDef | None]] = deque([(list(module.body), None)])
    while queue:
        body, func = queue.popleft()
        yield body, func
        for stmt in body:
            if isinstance(stmt, cst.ClassDef):
                for member in block_body(stmt.body):
                    if isinstance(member, cst.FunctionDef) and isinstance(member.body, cst.IndentedBlock):
                        queue.append((list(member.body.body), member))
                continue
            inner = stmt if isinstance(stmt, cst.FunctionDef) else func
            for block in inner_blocks(stmt):
                queue.append((block, inner))


def is_docstring(small: cst.CSTNode) -> bool:
    """A bare string statement (a docstring where it opens a body)."""
    return isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))


def _imports_or_docstring(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) or is_docstring(s) for s in stmt.body
    )


def body_start(body: list) -> tuple[cst.BaseStatement, str]:
    """Where code added at the start of a body goes: ("after", its docstring), else ("before", first)."""
    first = body[0]
    if isinstance(first, cst.SimpleStatementLine) and is_docstring(first.body[0]):
        return first, "after"
    return first, "before"


def after_imports(body: list) -> int:
    """Index just after the leading docstring and import lines of a module body."""
    index = 0
    while index < len(body) and _imports_or_docstring(body[index]):
        index += 1
    return index


def main_guard_exits(guard: cst.If) -> bool:
    """The `if __name__ == "__main__":` body ends with sys.exit(...), exit(...) or raise SystemExit(...)."""
    last = guard.body.body[-1] if isinstance(guard.body, cst.IndentedBlock) else None
    if not isinstance(last, cst.SimpleStatementLine):
        return False
    small = last.body[-1]
    value = small.value if isinstance(small, cst.Expr) else small.exc if isinstance(small, cst.Raise) else None
    return isinstance(value, cst.Call) and dotted(value.func) in ("sys.exit", "exit", "SystemExit")
