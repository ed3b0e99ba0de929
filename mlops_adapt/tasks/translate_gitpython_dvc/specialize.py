"""Cut copied helpers to the branches a script can reach, by folding in the script's data settings.

The helpers in runtime.py read three settings (`DVC_DATA_GLOBS`, `DVC_DATA_FOLDERS`,
`DVC_TRACK_FOLDERS`). Most scripts leave them empty or False, so the branches that read them
cannot run; copying them only makes the user's diff longer. Folding is exact: a branch goes
only when its test is a setting whose value is known when the recipe writes the script.
"""

from __future__ import annotations

import libcst as cst

_FALSE = "False"
# Not a constant of the helpers: set when the script hands every helper a git.Repo (no index,
# command, remote or commit object), so `dvc_git_repo` and the index-or-repo choice fold away.
REPO_TARGETS = "DVC_REPO_TARGETS"


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

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        # `target if isinstance(target, git.IndexFile) else repo.index`: no index is handed in.
        if self.truth.get(REPO_TARGETS) and "git.IndexFile" in cst.Module([]).code_for_node(updated_node.test):
            return updated_node.orelse
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        # `dvc_git_repo(target)` is the target itself when every target is a git.Repo.
        if (
            self.truth.get(REPO_TARGETS)
            and isinstance(updated_node.func, cst.Name)
            and updated_node.func.value == "dvc_git_repo"
            and len(updated_node.args) == 1
        ):
            return updated_node.args[0].value
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


class _RenameTarget(cst.CSTTransformer):
    """`def f(target, ...): repo = target; ...` -> `def f(repo, ...): ...` (the target is the git.Repo)."""

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        params = updated_node.params.params
        if not params:
            return updated_node
        first = params[0].name.value
        body = list(updated_node.body.body)
        alias = next((i for i, statement in enumerate(body) if _is_alias(statement, first)), None)
        if alias is None:
            return updated_node
        del body[alias]
        renamed = updated_node.with_changes(body=updated_node.body.with_changes(body=body))
        return renamed.visit(_Rename(first, "repo"))  # type: ignore[return-value]


def _is_alias(statement: cst.BaseStatement, param: str) -> bool:
    """`repo = PARAM` alone on its line."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return False
    assign = statement.body[0]
    return (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and assign.targets[0].target.value == "repo"
        and isinstance(assign.value, cst.Name)
        and assign.value.value == param
    )


class _Rename(cst.CSTTransformer):
    """Rename a variable: its Names, not attributes (`x.old`) or keywords (`f(old=...)`) so spelled."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value=self.new) if updated_node.value == self.old else updated_node

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)


def fold_settings(source: str, truth: dict[str, bool]) -> str:
    """`source` (helper functions) with the branches that `truth` (setting -> is it set) rules out removed."""
    module = cst.parse_module(source).visit(_Fold(truth))
    if truth.get(REPO_TARGETS):
        module = module.visit(_RenameTarget())
    return module.code


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
