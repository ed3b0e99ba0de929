"""Metric keys built from a loop's names at run time, kept within what MLflow accepts as a key."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import nodes_of, string_value
from mlops_adapt.transforms.base import Unsupported

# MLflow's rule for metric and param names (alphanumerics, _ - . space : /). W&B accepts more,
# but one key scheme for both keeps the two trackers' keys the same.
INVALID_KEY_CHARS = re.compile(r"[^\w\-. :/]")


def loop_names(loop: cst.For, module: cst.Module) -> list[str] | None:
    """The strings the loop's first target takes, when the code spells them out; else None.

    `for name, flag in (("knn", False), ("nca+knn", True))`, `for name in ["a", "b"]`, and
    `for name, model in models.items()` where `models = {"a": ..., "b": ...}` is bound once.
    """
    iterable = loop.iter
    if isinstance(iterable, (cst.List, cst.Tuple)):
        return _first_strings(list(iterable.elements), tupled=not isinstance(loop.target, cst.Name))
    if (
        isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
        and iterable.func.attr.value in ("items", "keys") and isinstance(iterable.func.value, cst.Name)
    ):
        literal = _single_dict_binding(module, iterable.func.value.value)
        if literal is None:
            return None
        keys = [string_value(e.key) for e in literal.elements if isinstance(e, cst.DictElement)]
        return None if len(keys) != len(literal.elements) or None in keys else keys  # type: ignore[return-value]
    return None


def _first_strings(elements: list, tupled: bool) -> list[str] | None:
    out = []
    for element in elements:
        value = element.value
        if tupled:
            if not isinstance(value, (cst.Tuple, cst.List)) or not value.elements:
                return None
            value = value.elements[0].value
        text = string_value(value)
        if text is None:
            return None
        out.append(text)
    return out


def _single_dict_binding(module: cst.Module, name: str) -> cst.Dict | None:
    """The dict literal `name` is bound to, when that is its only binding in the module."""
    bindings = [
        a.value for a in nodes_of(module, (cst.Assign,))
        if any(isinstance(t.target, cst.Name) and t.target.value == name for t in a.targets)
    ]
    if len(bindings) == 1 and isinstance(bindings[0], cst.Dict):
        return bindings[0]
    return None


def prefix_for_names(var: str, names: list[str] | None) -> str:
    """The f-string piece naming one iteration: `{name}`, or with the characters MLflow refuses
    replaced (`{name.replace('+', '_')}`) when the spelled-out names contain some."""
    bad = sorted({c for n in names or () for c in INVALID_KEY_CHARS.findall(n)})
    if set(bad) & set("\"'\\{}"):
        # Quotes and backslashes cannot be spelled inside an f-string's braces (Python < 3.12).
        raise Unsupported(f"the names {var} takes contain {''.join(bad)!r}, which MLflow refuses in a key")
    expr = var + "".join(f".replace({c!r}, '_')" for c in bad)
    return "{" + expr + "}"
