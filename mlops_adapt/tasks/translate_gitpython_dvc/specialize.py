"""Cut copied helpers to the branches a script can reach, by folding in the script's data settings.

The helpers in runtime.py read three settings (`DVC_DATA_GLOBS`, `DVC_DATA_FOLDERS`,
`DVC_TRACK_FOLDERS`). Most scripts leave them empty or False, so the branches that read them
cannot run; copying them only makes the user's diff longer. Folding is exact: a branch goes
only when its test is a setting whose value is known when the recipe writes the script.
"""

from __future__ import annotations

import libcst as cst

_FALSE = "False"


def _known(node: cst.BaseExpression, truth: dict[str, bool]) -> bool | None:
    """The value of a test made of known settings (or the literal False), else None."""
    if isinstance(node, cst.Name):
        if node.value == _FALSE:
            return False
        return truth.get(node.value)
    return None


class _Fold(cst.CSTTransformer):
    """Replace empty settings by False, then drop the tests and branches that depend on them."""

    def __init__(self, truth: dict[str, bool]) -> None:
        super().__init__()
        self.truth = truth

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if self.truth.get(updated_node.value) is False:
            return cst.Name(_FALSE)
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        # `any(... for x in EMPTY)` is False.
        if (
            isinstance(updated_node.func, cst.Name)
            and updated_node.func.value == "any"
            and len(updated_node.args) == 1
            and isinstance(updated_node.args[0].value, cst.GeneratorExp)
            and _known(updated_node.args[0].value.for_in.iter, {}) is False
        ):
            return cst.Name(_FALSE)
        return updated_node

    def leave_BooleanOperation(
        self, original_node: cst.BooleanOperation, updated_node: cst.BooleanOperation
    ) -> cst.BaseExpression:
        left, right = _known(updated_node.left, {}), _known(updated_node.right, {})
        if isinstance(updated_node.operator, cst.And) and False in (left, right):
            return cst.Name(_FALSE)  # the operands are side-effect-free tests of paths
        if isinstance(updated_node.operator, cst.Or):
            if left is False:
                return updated_node.right
            if right is False:
                return updated_node.left
        return updated_node

    def leave_If(self, original_node: cst.If, updated_node: cst.If):
        value = _known(updated_node.test, self.truth)
        if value is None:
            return updated_node
        if value:
            return cst.FlattenSentinel(updated_node.body.body)
        orelse = updated_node.orelse
        if orelse is None:
            return cst.RemovalSentinel.REMOVE
        if isinstance(orelse, cst.Else):
            return cst.FlattenSentinel(orelse.body.body)
        return updated_node  # an elif: rare in the helpers, kept as written

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        # What follows a `return` that always runs (a folded `if True: return ...`) is dead.
        body = list(updated_node.body)
        for i, statement in enumerate(body):
            if isinstance(statement, cst.SimpleStatementLine) and any(
                isinstance(s, cst.Return) for s in statement.body
            ):
                return updated_node.with_changes(body=body[: i + 1])
        return updated_node


def fold_settings(source: str, truth: dict[str, bool]) -> str:
    """`source` (helper functions) with the branches that `truth` (setting -> is it set) rules out removed."""
    return cst.parse_module(source).visit(_Fold(truth)).code


def drop_unreached(source: str, roots: set[str]) -> str:
    """`source` (helper functions) without the functions that no longer run from `roots` once folded."""
    module = cst.parse_module(source)
    functions = {f.name.value: f for f in module.body if isinstance(f, cst.FunctionDef)}
    reached: set[str] = set()
    todo = [name for name in roots if name in functions]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        todo += [n.value for n in _names(functions[name]) if n.value in functions and n.value not in reached]
    kept = [s for s in module.body if not isinstance(s, cst.FunctionDef) or s.name.value in reached]
    if kept and kept[0] is not module.body[0]:
        kept[0] = kept[0].with_changes(leading_lines=module.body[0].leading_lines)
    return module.with_changes(body=kept).code


def _names(node: cst.CSTNode) -> list[cst.Name]:
    """Every Name inside a node."""
    found: list[cst.Name] = []

    class _Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    node.visit(_Collect())
    return found
