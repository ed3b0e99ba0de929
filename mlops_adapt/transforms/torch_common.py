"""Shared planning for the torch optimization recipes: find the trained model, repeat its evaluation after a change."""

from __future__ import annotations

import libcst as cst

from mlops_adapt.analysis.exprs import code, fresh_name, names_in, nodes_of
from mlops_adapt.analysis.scan import Scan, scan_module
from mlops_adapt.analysis.torch_eval import EvalPlan, plan_evaluation
from mlops_adapt.transforms.base import SkipFile, Unsupported
from mlops_adapt.transforms.rewriter import EditPlan, apply_plan
from mlops_adapt.vocabulary import is_metric_name


class _Rename(cst.CSTTransformer):
    """Renames bare names (not attributes or keyword names)."""

    def __init__(self, mapping: dict[str, str]) -> None:
        super().__init__()
        self.mapping = mapping

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.mapping.get(updated_node.value)
        return updated_node.with_changes(value=new) if new else updated_node

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)


def repeated(statements: list[cst.BaseStatement], mapping: dict[str, str]) -> list[str]:
    """Source of the statements with names renamed, each without its leading comments and blank lines."""
    out = []
    for stmt in statements:
        renamed = stmt.visit(_Rename(mapping))
        if hasattr(renamed, "leading_lines"):
            renamed = renamed.with_changes(leading_lines=())
        out.append(cst.Module(body=[renamed]).code)
    return out


def torch_plan(tree: cst.Module, scan: Scan | None = None) -> EvalPlan:
    """The evaluation plan of a torch training script; SkipFile when there is no trained torch model.

    `scan` is the recipe's cached scan of `tree` (Recipe.scan); without it the tree is scanned here."""
    scan = scan or scan_module(tree)
    if "torch" not in scan.imported_modules:
        raise SkipFile("nothing to adapt: the script does not use torch")
    plan = plan_evaluation(tree, scan)
    if plan is None:
        if scan.torch_loops or "backward(" in tree.code:
            raise Unsupported("the script trains with torch, but the trained model could not be located "
                              "(a variable or self attribute assigned from an nn.Module)")
        raise SkipFile("nothing to adapt: no trained torch model was found")
    return plan


def metric_names(plan: EvalPlan) -> list[str]:
    """The bound names of the repeated evaluation that hold results worth comparing."""
    return [n for n in plan.assigned if is_metric_name(n) and not n.endswith("s")] or [
        n for n in plan.assigned if is_metric_name(n)
    ]


_BARE_LAYERS = ("Linear", "Bilinear", "LazyLinear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN")


def is_bare_layer(tree: cst.Module, model: str) -> bool:
    """True when the model is one layer (`model = nn.Linear(4, 1)`): it has no children, so module-swapping
    APIs such as quantize_dynamic, which convert children only, leave it unchanged."""
    target = model.rsplit(".", 1)[-1]
    found: list[bool] = []
    for node in nodes_of(tree, cst.Assign):
        if len(node.targets) != 1:
            continue
        t = node.targets[0].target
        name = t.value if isinstance(t, cst.Name) else t.attr.value if isinstance(t, cst.Attribute) else None
        if name != target or not isinstance(node.value, cst.Call):
            continue
        value = node.value
        while isinstance(value.func, cst.Attribute) and value.func.attr.value in ("to", "cpu", "float", "double") \
                and isinstance(value.func.value, cst.Call):
            value = value.func.value
        called = code(value.func)
        found.append(called.rsplit(".", 1)[-1] in _BARE_LAYERS and ("nn." in called or "." not in called))
    return bool(found) and all(found)


def insert_block(plan: EvalPlan, lines: list[str]) -> EditPlan:
    """An edit plan that puts `lines` after the plan's insertion point."""
    edits = EditPlan()
    for line in lines:
        edits.add_after(plan.insert_after, line)
    return edits


def apply_edits(tree: cst.Module, edits: EditPlan) -> cst.Module:
    return apply_plan(tree, edits)


def compare_line(name: str, new: str, before: str, after: str) -> str:
    """A print comparing one result before and after the change."""
    return f'print("{name} {before}:", {name}, "| {after}:", {new})'


names_of = names_in  # every Name in a tree
fresh = fresh_name


__all__ = ["EvalPlan", "apply_edits", "code", "compare_line", "fresh", "insert_block", "is_bare_layer", "metric_names",
           "names_of",
           "repeated", "torch_plan"]
