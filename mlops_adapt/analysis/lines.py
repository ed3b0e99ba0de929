"""Line numbers of libcst statements, read from a stdlib `ast` parse of the same text (fast)."""

from __future__ import annotations

import ast
from functools import lru_cache

import libcst as cst


@lru_cache(maxsize=64)
def python_ast(source: str) -> ast.Module | None:
    """The stdlib ast of a source text, or None when it does not parse (cached: several readers share it)."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def statement_lines(module: cst.Module, source: str) -> dict[int, int]:
    """id(libcst statement) -> its first line, by walking both trees in step.

    libcst's PositionProvider costs a full code-generation pass; both parsers list statements in the
    same order, so pairing them is exact and about a hundred times cheaper.
    """
    tree = python_ast(source)
    if tree is None:
        return {}
    lines: dict[int, int] = {}
    _pair(list(module.body), list(tree.body), lines)
    return lines


def _pair(cst_body: list, ast_body: list, lines: dict[int, int]) -> None:
    position = 0
    for stmt in cst_body:
        if position >= len(ast_body):
            return
        if isinstance(stmt, cst.SimpleStatementLine):
            lines[id(stmt)] = ast_body[position].lineno
            for small in stmt.body:
                if position < len(ast_body):
                    lines[id(small)] = ast_body[position].lineno
                position += 1
            continue
        node = ast_body[position]
        position += 1
        lines[id(stmt)] = getattr(node, "lineno", 0)
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) and stmt.decorators:
            lines[id(stmt)] = min([lines[id(stmt)]] + [d.lineno for d in getattr(node, "decorator_list", [])])
        _pair_children(stmt, node, lines)


def _body_of(block) -> list:
    if isinstance(block, cst.IndentedBlock):
        return list(block.body)
    if isinstance(block, cst.SimpleStatementSuite):
        return []
    return []


def _pair_children(stmt, node, lines: dict[int, int]) -> None:
    body = getattr(stmt, "body", None)
    if body is not None and hasattr(node, "body") and isinstance(node.body, list):
        _pair(_body_of(body), node.body, lines)
    if isinstance(stmt, cst.If) and stmt.orelse is not None:
        if isinstance(stmt.orelse, cst.If):
            _pair([stmt.orelse], node.orelse, lines)
        else:
            _pair(_body_of(stmt.orelse.body), node.orelse, lines)
    elif isinstance(stmt, (cst.For, cst.While)) and stmt.orelse is not None:
        _pair(_body_of(stmt.orelse.body), node.orelse, lines)
    if isinstance(stmt, cst.Try):
        for handler, ast_handler in zip(stmt.handlers, getattr(node, "handlers", [])):
            _pair(_body_of(handler.body), ast_handler.body, lines)
        if stmt.orelse is not None:
            _pair(_body_of(stmt.orelse.body), node.orelse, lines)
        if stmt.finalbody is not None:
            _pair(_body_of(stmt.finalbody.body), node.finalbody, lines)
