"""Names an edit reads but never binds: the NameError a candidate would raise, found statically."""

from __future__ import annotations

import ast
import builtins
import difflib
from dataclasses import dataclass

# Module globals every script has, and the names IPython gives a notebook cell.
_ALWAYS_BOUND = frozenset(dir(builtins)) | {
    "__file__",
    "__name__",
    "__doc__",
    "__spec__",
    "__loader__",
    "__package__",
    "__builtins__",
    "__path__",
    "__annotations__",
    "get_ipython",
    "display",
}
# Calls that can bind names the tree does not show; a script using them is not judged.
_DYNAMIC = frozenset({"exec", "globals", "locals", "vars"})


@dataclass(frozen=True)
class Unbound:
    """A name the candidate reads without binding it anywhere."""

    name: str
    line: int  # first line that reads it
    dotted_import: str | None  # `import a.b.name`, which binds `a`, not `name`
    close: tuple[str, ...]  # names the candidate does bind that look like it
    removed: bool  # the original bound it: the edit deleted or renamed the binding


@dataclass
class _Names:
    bound: set[str]
    imported: set[str]
    loads: dict[str, int]  # name -> first line read
    dotted_imports: dict[str, str]  # last part -> `a.b.last` imported without `as`
    dynamic: bool


def _scan(tree: ast.AST) -> _Names:
    """Every name bound anywhere in the module (any scope) and every name read, flow-insensitively."""
    names = _Names(set(), set(), {}, {}, False)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                line = names.loads.get(node.id)
                if line is None or node.lineno < line:
                    names.loads[node.id] = node.lineno
            else:
                names.bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    names.dynamic = True
                    continue
                if isinstance(node, ast.Import):
                    local = alias.asname or alias.name.split(".")[0]
                    if alias.asname is None and "." in alias.name:
                        names.dotted_imports[alias.name.rsplit(".", 1)[1]] = alias.name
                else:
                    local = alias.asname or alias.name
                names.bound.add(local)
                names.imported.add(local)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.bound.add(node.name)
        elif isinstance(node, ast.arg):
            names.bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.bound.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.bound.add(node.rest)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names.dynamic |= node.func.id in _DYNAMIC
        type_name = getattr(node, "name", None)
        if type(node).__name__ in ("TypeVar", "ParamSpec", "TypeVarTuple") and type_name:
            names.bound.add(type_name)
    return names


def new_unbound_names(original: str, candidate: str) -> list[Unbound]:
    """Names the candidate reads but never binds, and that the original did not already leave unbound.

    Flow-insensitive on purpose: a name bound anywhere counts as bound, so only a name that
    no statement of the candidate binds is reported, which is certain to fail when read.
    Names the original imported are left to V2, which reports the removed import.
    """
    try:
        before = _scan(ast.parse(original))
        after = _scan(ast.parse(candidate))
    except SyntaxError:
        return []
    if after.dynamic:
        return []
    already = set(before.loads) - before.bound
    found: list[Unbound] = []
    for name, line in sorted(after.loads.items(), key=lambda item: (item[1], item[0])):
        if name in after.bound or name in _ALWAYS_BOUND or name in already:
            continue
        if name in before.imported:
            continue
        close = tuple(difflib.get_close_matches(name, sorted(after.bound), n=2, cutoff=0.6))
        removed = name in before.bound
        found.append(Unbound(name, line, after.dotted_imports.get(name), close, removed))
    return found


def with_library_import(original: str, candidate: str, root: str) -> str | None:
    """The candidate with `import root` appended when it reads `root` but never imports it, else None.

    V4 judges the edit as if the import were there, so a forgotten `import mlflow` is reported
    once (by V3) instead of as "no run is started" and every param "not logged". Appending keeps
    every line number of the candidate; the rules read imports wherever they are.
    """
    if not any(u.name == root for u in new_unbound_names(original, candidate)):
        return None
    return candidate.rstrip("\n") + f"\nimport {root}\n"
