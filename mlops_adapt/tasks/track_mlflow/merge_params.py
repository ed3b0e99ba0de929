"""Merges back-to-back `mlflow.log_params({...})` lines of an edit into one call."""

from __future__ import annotations

import libcst as cst

from mlops_adapt.analysis.exprs import dotted, string_value


def _params_dict(stmt: cst.CSTNode) -> cst.Dict | None:
    """The dict of `mlflow.log_params({"a": a, ...})` alone on its line, with literal string keys."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    expr = stmt.body[0]
    call = expr.value if isinstance(expr, cst.Expr) else None
    if not isinstance(call, cst.Call) or dotted(call.func) != "mlflow.log_params" or len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.keyword is not None or arg.star or not isinstance(arg.value, cst.Dict):
        return None
    elements = arg.value.elements
    if not elements or not all(isinstance(e, cst.DictElement) and string_value(e.key) is not None for e in elements):
        return None
    return arg.value


def _keys(params: cst.Dict) -> set[str]:
    return {string_value(e.key) or "" for e in params.elements if isinstance(e, cst.DictElement)}


def merge_adjacent(body: list) -> list:
    """The statement list with each run of adjacent log_params lines (distinct keys, no comment
    between them) written as one call: they run at the same place, one after the other."""
    out: list = []
    for stmt in body:
        here = _params_dict(stmt)
        last = _params_dict(out[-1]) if out else None
        if here is not None and last is not None and not stmt.leading_lines and not _keys(here) & _keys(last):
            elements = [e.with_changes(comma=cst.MaybeSentinel.DEFAULT) for e in (*last.elements, *here.elements)]
            merged = cst.parse_statement(f"mlflow.log_params({cst.Module([]).code_for_node(last.with_changes(elements=elements))})")
            out[-1] = merged.with_changes(leading_lines=out[-1].leading_lines)
            continue
        out.append(stmt)
    return out


class MergeLogParams(cst.CSTTransformer):
    """Applies merge_adjacent to every statement list of a module."""

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        return updated_node.with_changes(body=merge_adjacent(list(updated_node.body)))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module):
        return updated_node.with_changes(body=merge_adjacent(list(updated_node.body)))
