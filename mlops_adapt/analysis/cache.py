"""Parse and scan each source text once: the engine, recipes and verification share the trees."""

from __future__ import annotations

import ast
from functools import lru_cache

import libcst as cst

from mlops_adapt.analysis.lines import python_ast
from mlops_adapt.analysis.scan import Scan, scan_module

# libcst parses, prints and visits trees recursively (a few Python frames per level), and its parser
# slows down sharply on very deep expressions (a 2,000-term sum takes seconds, 20,000 never ends).
# Deeper sources are refused up front, measured on the stdlib parse, which is fast and iterative here.
# Measured with every task's recipe and static verification: a 300-term sum (303 levels) and 85 nested
# ifs (264) pass, 95 nested ifs around a 100-term sum (385) fail; 200 leaves a margin for deeper callers.
MAX_NESTING = 200
STATEMENT_LEVEL = 3


class TooDeeplyNested(ValueError):
    """The source nests deeper than the analysis supports (e.g. a sum of thousands of terms)."""

    def __init__(self, line: int, depth: int | None) -> None:
        self.line = line
        self.depth = depth
        detail = f"nesting depth {depth}" if depth is not None else "deeper than Python's own parser allows"
        super().__init__(f"expression too deeply nested ({detail}; at most {MAX_NESTING} levels are supported)")


def check_nesting(source: str) -> None:
    """Raise TooDeeplyNested when the source nests deeper than MAX_NESTING syntax-tree levels."""
    tree = python_ast(source)
    if tree is None:
        try:
            ast.parse(source)
        except RecursionError:
            raise TooDeeplyNested(1, None) from None
        except (SyntaxError, ValueError, MemoryError) as err:
            if "too many nested" in str(err):
                raise TooDeeplyNested(getattr(err, "lineno", 1) or 1, None) from None
        return  # an ordinary syntax error: libcst reports it with its position
    depth, line = deepest(tree)
    if depth > MAX_NESTING:
        raise TooDeeplyNested(line, depth)


def deepest(tree: ast.AST) -> tuple[int, int]:
    """(depth, line) of the most deeply nested node, walked without recursion.

    A statement nested in another counts STATEMENT_LEVEL levels: libcst puts an IndentedBlock between
    them, and its walks spend more frames on a statement than on an expression.
    """
    best_depth, best_line = 0, 1
    stack: list[tuple[ast.AST, int, int]] = [(tree, 1, 1)]
    while stack:
        node, depth, line = stack.pop()
        line = getattr(node, "lineno", line)
        if depth > best_depth:
            best_depth, best_line = depth, line
        for child in ast.iter_child_nodes(node):
            step = STATEMENT_LEVEL if isinstance(child, (ast.stmt, ast.excepthandler)) else 1
            stack.append((child, depth + step, line))
    return best_depth, best_line


@lru_cache(maxsize=64)
def parsed(source: str) -> cst.Module:
    """The libcst tree of a source text (raises ParserSyntaxError like cst.parse_module, and
    TooDeeplyNested for a source nested beyond MAX_NESTING)."""
    check_nesting(source)
    return cst.parse_module(source)


@lru_cache(maxsize=64)
def scanned(source: str) -> Scan:
    """The scan of parsed(source); its node references point into that same tree."""
    return scan_module(parsed(source), source)


def scan_for(tree: cst.Module, source: str | None) -> Scan:
    """The cached scan when `tree` is the cached parse of `source`, else a fresh one."""
    if source is not None and parsed(source) is tree:
        return scanned(source)
    return scan_module(tree, source)
