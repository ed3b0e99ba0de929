"""Parse and scan each source text once: the engine, recipes and verification share the trees."""

from __future__ import annotations

from functools import lru_cache

import libcst as cst

from mlops_adapt.analysis.scan import Scan, scan_module


@lru_cache(maxsize=64)
def parsed(source: str) -> cst.Module:
    """The libcst tree of a source text (raises ParserSyntaxError like cst.parse_module)."""
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
