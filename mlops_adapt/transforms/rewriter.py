"""Applies an edit plan (insert before/after statements, wrap loop bodies) to a libcst module."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst


@dataclass
class EditPlan:
    """Additive edits keyed by the identity of original statements."""

    before: dict[int, list[str]] = field(default_factory=dict)
    after: dict[int, list[str]] = field(default_factory=dict)
    # id(compound statement) -> (with-item expression, statements to put first inside the with)
    wrap_body: dict[int, tuple[str, list[str]]] = field(default_factory=dict)
    module_end: list[str] = field(default_factory=list)

    def add_before(self, stmt: cst.CSTNode, line: str) -> None:
        self.before.setdefault(id(stmt), []).append(line)

    def add_after(self, stmt: cst.CSTNode, line: str) -> None:
        self.after.setdefault(id(stmt), []).append(line)

    @property
    def empty(self) -> bool:
        return not (self.before or self.after or self.wrap_body or self.module_end)


class PlanApplier(cst.CSTTransformer):
    """Rebuilds statement lists with the planned insertions; never removes anything."""

    def __init__(self, plan: EditPlan) -> None:
        super().__init__()
        self.plan = plan

    def _expand(self, original_body, updated_body) -> list:
        out: list = []
        for orig, new in zip(original_body, updated_body):
            before = [cst.parse_statement(s) for s in self.plan.before.get(id(orig), [])]
            if before and getattr(new, "leading_lines", ()):
                # Keep a comment above the statement it introduces, on top of our lines.
                before[0] = before[0].with_changes(leading_lines=new.leading_lines)
                new = new.with_changes(leading_lines=())
            out.extend(before)
            out.append(new)
            out.extend(cst.parse_statement(s) for s in self.plan.after.get(id(orig), []))
        return out

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        return updated_node.with_changes(body=self._expand(original_node.body, updated_node.body))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = self._expand(original_node.body, updated_node.body)
        body.extend(cst.parse_statement(s) for s in self.plan.module_end)
        return updated_node.with_changes(body=body)

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


def apply_plan(module: cst.Module, plan: EditPlan) -> cst.Module:
    """Return the module with the plan applied."""
    return module.visit(PlanApplier(plan))
