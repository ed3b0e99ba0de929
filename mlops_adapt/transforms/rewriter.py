"""Applies an edit plan (insert before/after statements, wrap bodies, add imports) to a module."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mlops_adapt.analysis.exprs import code, is_docstring


# A planned statement: libcst nodes as built, or source text (parsed when the plan is applied).
def as_statement(item: str | cst.BaseStatement) -> cst.BaseStatement:
    """The statement node of a planned item."""
    return cst.parse_statement(item) if isinstance(item, str) else item


@dataclass
class EditPlan:
    """Additive edits keyed by the identity of original statements."""

    before: dict[int, list[str | cst.BaseStatement]] = field(default_factory=dict)
    after: dict[int, list[str | cst.BaseStatement]] = field(default_factory=dict)
    # id(compound statement) -> (with-item expression, statements to put first inside the with)
    wrap_body: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    # id(statement) -> (with-item expression, first statements): that statement and the rest of its
    # statement list go inside `with <item>:` (a run context around the script's work)
    wrap_from: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    module_end: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)  # modules to `import` at the top

    def add_before(self, stmt: cst.CSTNode, line: str | cst.BaseStatement) -> None:
        self.before.setdefault(id(stmt), []).append(line)

    def add_after(self, stmt: cst.CSTNode, line: str | cst.BaseStatement) -> None:
        self.after.setdefault(id(stmt), []).append(line)

    def add_import(self, module: str) -> None:
        if module not in self.imports:
            self.imports.append(module)

    @property
    def anchors(self) -> set[int]:
        return set(self.before) | set(self.after) | set(self.wrap_body) | set(self.wrap_from)


def expand_body(plan: EditPlan, original_body, updated_body) -> list:
    """The statement list with the plan's statements before/after its original statements."""
    out: list = []
    outer: list | None = None  # the statements before a `wrap_from` start, once one is met
    wrap: tuple[str, list[str]] | None = None
    for orig, new in zip(original_body, updated_body):
        if wrap is None and id(orig) in plan.wrap_from:
            wrap, outer, out = plan.wrap_from[id(orig)], out, []
        before = [as_statement(s) for s in plan.before.get(id(orig), [])]
        if before and getattr(new, "leading_lines", ()):
            # Keep a comment above the statement it introduces, on top of our lines.
            before[0] = before[0].with_changes(leading_lines=new.leading_lines)
            new = new.with_changes(leading_lines=())
        out.extend(before)
        out.append(new)
        out.extend(as_statement(s) for s in plan.after.get(id(orig), []))
    if wrap is None or outer is None:
        return out
    item, first = wrap
    inner = [cst.parse_statement(s) for s in first] + [_unindented_blank_lines(s) for s in out]
    # Blank lines and comments above the first wrapped statement stay above the `with`.
    leading = getattr(inner[len(first)], "leading_lines", ()) if len(inner) > len(first) else ()
    if leading:
        inner[len(first)] = inner[len(first)].with_changes(leading_lines=())
    with_stmt = cst.With(
        items=[cst.WithItem(cst.parse_expression(item))],
        body=cst.IndentedBlock(body=inner),
        leading_lines=leading,
    )
    return outer + [with_stmt]


class PlanApplier(cst.CSTTransformer):
    """Rebuilds statement lists with the planned insertions; never removes anything."""

    def __init__(self, plan: EditPlan) -> None:
        super().__init__()
        self.plan = plan

    def expand(self, original_body, updated_body) -> list:
        return expand_body(self.plan, original_body, updated_body)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        return updated_node.with_changes(body=self.expand(original_node.body, updated_node.body))

    def _wrap(self, original_node, updated_node):
        spec = self.plan.wrap_body.get(id(original_node))
        if spec is None or not isinstance(updated_node.body, cst.IndentedBlock):
            return updated_node
        item, first = spec
        inner = [cst.parse_statement(s) for s in first] + list(updated_node.body.body)
        with_stmt = cst.With(
            items=[cst.WithItem(cst.parse_expression(item))],
            body=cst.IndentedBlock(body=inner),
        )
        return updated_node.with_changes(body=updated_node.body.with_changes(body=[with_stmt]))

    def leave_For(self, original_node: cst.For, updated_node: cst.For):
        return self._wrap(original_node, updated_node)

    def leave_If(self, original_node: cst.If, updated_node: cst.If):
        return self._wrap(original_node, updated_node)


def _statement_ids(stmt: cst.CSTNode) -> set[int]:
    """Ids of a statement and every statement nested in it (expressions are not walked)."""
    ids = {id(stmt)}
    stack = [stmt]
    while stack:
        node = stack.pop()
        for child_name in ("body", "orelse", "finalbody", "handlers"):
            child = getattr(node, child_name, None)
            if child is None:
                continue
            items = child if isinstance(child, (list, tuple)) else [child]
            for item in items:
                if isinstance(item, cst.CSTNode):
                    ids.add(id(item))
                    stack.append(item)
    return ids


def apply_plan(module: cst.Module, plan: EditPlan) -> cst.Module:
    """Return the module with the plan applied; only statements that hold edits are rebuilt."""
    applier = PlanApplier(plan)
    anchors = plan.anchors
    updated = [
        stmt.visit(applier) if anchors & _statement_ids(stmt) else stmt for stmt in module.body
    ]
    body = applier.expand(module.body, updated)
    body.extend(cst.parse_statement(s) for s in plan.module_end)
    return add_imports(module.with_changes(body=body), plan.imports)


def add_imports(module: cst.Module, modules: list[str]) -> cst.Module:
    """`import X` for each module not imported yet, after the script's top import block.

    Done by hand rather than with AddImportsVisitor because that visitor rebuilds the whole tree
    twice; this only touches the module's top-level statement list.
    """
    body = list(module.body)
    present = {
        code(alias.name)
        for stmt in body
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
        if isinstance(small, cst.Import)
        for alias in small.names
        if alias.asname is None
    }
    missing = sorted(m for m in modules if m not in present)
    if not missing:
        return module
    position = 0
    for index, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) or is_docstring(s) for s in stmt.body
        ):
            position = index + 1
        elif isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) or not isinstance(stmt, cst.SimpleStatementLine) or position:
            break
    # A script may do work above its first import (`print("hi")`), and the plan may have put a
    # use of the module there (the run start goes before the first working statement): the
    # import must come before that use, or it is a NameError at run time.
    roots = {m.split(".")[0] for m in missing}
    position = next((i for i, stmt in enumerate(body[:position]) if _uses_names(stmt, roots)),
                    position)
    new = [cst.parse_statement(f"import {m}") for m in missing]
    return module.with_changes(body=body[:position] + new + body[position:])


def _uses_names(stmt: cst.CSTNode, names: set[str]) -> bool:
    """True when a statement other than an import mentions one of `names` (`mlflow.start_run()`)."""
    if isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    ):
        return False
    found = []

    class Finder(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            if node.value in names:
                found.append(node)

    stmt.visit(Finder())
    return bool(found)


def _unindented_blank_lines(stmt: cst.CSTNode) -> cst.CSTNode:
    """A statement moved into a new block: its blank lines above carry no indentation."""
    lines = getattr(stmt, "leading_lines", None)
    if not lines:
        return stmt
    fixed = [line.with_changes(indent=False) if line.comment is None else line for line in lines]
    return stmt.with_changes(leading_lines=fixed)
