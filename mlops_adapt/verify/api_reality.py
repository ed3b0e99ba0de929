"""V3, API reality: every reference into the target library must exist in the docs index.

The check reads the committed corpus (`mlops_adapt.retrieval.catalog`), so it works where the
library is not installed. It resolves import aliases, follows the well-known objects a call
returns (`study = optuna.create_study()`), judges each call's keyword and positional arguments
against the recorded signature, and the attributes read on those objects (`study.best_params`).
Only a name the index does not list is looked up on the installed class (attributes an
instance sets on itself), before it is reported. Names the edit reads but never binds
(`mlflow` without `import mlflow`) are reported with the import that binds them.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import importlib.util
import inspect
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import libcst as cst

from mlops_adapt.retrieval.catalog import Catalog, load_catalog_checked
from mlops_adapt.retrieval.libraries import LIBRARIES, LibrarySpec
from mlops_adapt.verify.unbound import new_unbound_names


@dataclass(frozen=True)
class Finding:
    """One V3 problem: an error fails the check, a warning only flags it."""

    severity: str  # "error" or "warning"
    message: str
    line: int


def _dotted(node: ast.AST) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"], or None for anything that is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def _suggest(name: str, candidates: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        lowered = name.lower().replace("_", "")
        close = [c for c in candidates if lowered and lowered in c.lower().replace("_", "")][:3]
    return f"; did you mean {', '.join(close)}?" if close else ""


def _elsewhere(name: str, spec: LibrarySpec, catalog: Catalog, kinds: set[str]) -> list[str]:
    """Documented places of the library where `name` exists (`add` -> `dvc.repo.Repo.add`).

    A model that writes `dvc.api.add` or `mlflow.log_model` has the right name in the wrong
    place, and a spelling neighbour (`log_model_params`) would send its repair further astray.
    Ranked by the order of the library's documented modules, so `mlflow.sklearn` comes first.
    """
    order = {module: rank for rank, module in enumerate(spec.modules)}
    found = []
    for qualname, entry in catalog.entries.items():
        if entry.get("kind") not in kinds or qualname.rsplit(".", 1)[-1] != name:
            continue
        if any(part.startswith("_") for part in qualname.split(".")):
            continue
        owner = qualname.rsplit(".", 1)[0]
        module = owner if entry["kind"] != "method" else owner.rsplit(".", 1)[0]
        found.append((order.get(module, len(order)), qualname.count("."), qualname))
    return [qualname for *_, qualname in sorted(found)]


def _suggest_elsewhere(name: str, spec: LibrarySpec, catalog: Catalog) -> str:
    """`; did you mean a.b.name?` for the same name elsewhere in the library, or ""."""
    places = _elsewhere(name, spec, catalog, {"function", "class", "module"})
    if places:
        more = f" (or another of {len(places)})" if len(places) > 3 else ""
        return f"; did you mean {', '.join(places[:3])}{more}?"
    methods = _elsewhere(name, spec, catalog, {"method"})
    if methods:
        owner = methods[0].rsplit(".", 1)[0]
        example = owner.rsplit(".", 1)[-1].lower()
        return (
            f"; `{name}` is a method of `{owner}` objects: call it on one (`{example}.{name}(...)`)"
        )
    return ""


class _Bindings(ast.NodeVisitor):
    """First pass: what each local name means (imports) and what each variable holds."""

    def __init__(self, roots: set[str]) -> None:
        self.roots = roots
        self.names: dict[str, str] = {}  # local name -> dotted path in the library
        self.imports: list[tuple[ast.AST, str]] = []  # (node, dotted path) to validate
        self.assigned: dict[str, list[ast.AST | None]] = {}
        self.first_params: dict[str, str] = {}  # function name -> its first parameter
        self.optimized: set[str] = set()  # functions passed to `<study>.optimize(...)`

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            root = alias.name.split(".")[0]
            if root not in self.roots:
                continue
            self.imports.append((node, alias.name))
            self.names[alias.asname or root] = alias.name if alias.asname else root

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or module.split(".")[0] not in self.roots:
            return
        for alias in node.names:
            if alias.name == "*":
                continue
            dotted = f"{module}.{alias.name}"
            self.imports.append((node, dotted))
            self.names[alias.asname or alias.name] = dotted

    def _bind(self, target: ast.AST, value: ast.AST | None) -> None:
        if isinstance(target, ast.Name):
            self.assigned.setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind(element, None)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._bind(node.target, node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._bind(node.target, None)
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target, node.value)
        self.generic_visit(node)

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._bind(node.optional_vars, node.context_expr)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._bind(node.target, None)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._bind(node.target, None)
        self.generic_visit(node)

    def visit_arg(self, node: ast.arg) -> None:
        self.assigned.setdefault(node.arg, []).append(None)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.assigned.setdefault(node.name, []).append(None)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = [*node.args.posonlyargs, *node.args.args]
            if params:
                self.first_params[node.name] = params[0].arg
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "optimize"
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            self.optimized.add(node.args[0].id)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef


class _Checker(ast.NodeVisitor):
    """Second pass: judge every reference and call into the library."""

    def __init__(self, spec: LibrarySpec, catalog: Catalog, bindings: _Bindings) -> None:
        self.spec = spec
        self.catalog = catalog
        self.names = bindings.names
        self.problems: list[tuple[ast.AST, str, str]] = []
        self.handled: set[int] = set()
        self.instances: dict[str, str] = {}
        self.last_on_instance = False
        self._resolve_instances(bindings.assigned)
        self._objective_trials(bindings)

    # ---- what expressions mean -------------------------------------------------------
    def full_name(self, node: ast.AST) -> str | None:
        parts = _dotted(node)
        if not parts or parts[0] not in self.names:
            return None
        return ".".join([self.names[parts[0]], *parts[1:]])

    def _class_of_value(self, value: ast.AST | None) -> str | None:
        """The documented class of the object an expression evaluates to, if known."""
        if value is None:
            return None
        if isinstance(value, ast.Call):
            full = self.full_name(value.func)
            entry = self.catalog.lookup(full) if full else None
            if entry is None and isinstance(value.func, ast.Attribute):
                owner = self._class_of_value(value.func.value)
                if owner is not None:
                    entry = self.catalog.lookup(f"{owner}.{value.func.attr}")
            if entry is None:
                return None
            if entry["kind"] == "class":
                return entry["qualname"]
            if entry.get("returns"):
                returned = self.catalog.class_entry(entry["returns"])
                return returned["qualname"] if returned else None
            return None
        if isinstance(value, ast.Name) and value.id in self.instances:
            return self.instances[value.id]
        full = self.full_name(value)
        entry = self.catalog.lookup(full) if full else None
        if entry is not None and entry["kind"] == "object":
            target = self.catalog.class_entry(entry["instance_of"])
            return target["qualname"] if target else None
        return None

    def _resolve_instances(self, assigned: dict[str, list[Any]]) -> None:
        # A name is tracked only when every assignment gives the same documented class.
        for _ in range(2):  # a second round lets `b = a.method()` see `a`
            for name, values in assigned.items():
                if name in self.names:
                    continue
                classes = {self._class_of_value(v) for v in values}
                if len(classes) == 1 and None not in classes:
                    self.instances[name] = classes.pop()

    def _objective_trials(self, bindings: _Bindings) -> None:
        """Optuna: the first parameter of an objective passed to `study.optimize` is a Trial.

        Only a name that is never assigned anything else counts (parameters bind no value).
        """
        if self.spec.root != "optuna":
            return
        trial_class = self.catalog.lookup("optuna.trial.Trial")
        if trial_class is None or trial_class.get("kind") != "class":
            return
        for function in bindings.optimized:
            param = bindings.first_params.get(function)
            if not param or param in self.names or param in self.instances:
                continue
            if all(v is None for v in bindings.assigned.get(param, [None])):
                self.instances[param] = trial_class["qualname"]

    # ---- reporting -------------------------------------------------------------------
    def error(self, node: ast.AST, message: str) -> None:
        self.problems.append((node, "error", message))

    def warning(self, node: ast.AST, message: str) -> None:
        self.problems.append((node, "warning", message))

    # ---- references ------------------------------------------------------------------
    def check_reference(self, node: ast.AST, full: str) -> dict[str, Any] | None:
        """Walk a dotted name down the index; report the first unknown step.

        Returns the entry it names when every step is documented, else None. Sets
        `self.last_on_instance` when the final step was looked up on an object (such as
        `wandb.config`) rather than on a module or class.
        """
        parts = full.split(".")
        entry = self.catalog.lookup(parts[0])
        self.last_on_instance = False
        if entry is None:
            return None
        prefix = parts[0]
        for part in parts[1:]:
            name = f"{prefix}.{part}"
            self.last_on_instance = entry["kind"] == "object"
            if entry["kind"] == "object":
                entry = self.catalog.class_entry(entry["instance_of"])
                if entry is None:
                    return None
            members = entry.get("members")
            if members is not None and part not in members and not entry.get("open"):
                if self.last_on_instance and _set_on_instances(entry, part):
                    return None  # `wandb.run.summary`: set by the object itself, not by its class
                if self.spec.checks(name):
                    kind = "module" if entry["kind"] == "module" else "class"
                    hint = _suggest_elsewhere(part, self.spec, self.catalog)
                    self.error(
                        node,
                        f"`{name}` does not exist: {kind} `{prefix}` has no "
                        f"attribute `{part}`{hint or _suggest(part, members)}",
                    )
                return None
            next_entry = self.catalog.lookup(f"{entry['qualname']}.{part}")
            if next_entry is None:
                return None  # exists, but not documented in detail (e.g. an unindexed module)
            entry, prefix = next_entry, name
        if entry.get("deprecated") and self.spec.checks(full):
            self.warning(node, f"`{full}` is deprecated: {entry['deprecated']}")
        return entry

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if id(node) not in self.handled:
            full = self.full_name(node)
            if full is not None:
                self._mark_chain(node)
                self.check_reference(node, full)
            elif isinstance(node.ctx, ast.Load):
                owner = self._class_of_value(node.value)
                if owner is not None:
                    self.handled.add(id(node))
                    self.check_attribute(node, owner, node.attr)
        self.generic_visit(node)

    def check_attribute(self, node: ast.AST, owner: str, name: str) -> bool:
        """An attribute read on an object of a documented class (`study.best_params`).

        The index lists what the class defines; attributes an instance sets on itself
        (`self.study_name = ...`) are confirmed against the installed class before
        anything is reported. Returns whether the attribute exists (or cannot be judged).
        """
        klass = self.catalog.lookup(owner)
        if klass is None or klass.get("open") or not self.spec.checks(owner):
            return True
        members = list(klass.get("members") or [])
        if name in members or (name.startswith("__") and name.endswith("__")):
            return True
        if _set_on_instances(klass, name):
            return True
        real = installed_attributes(klass.get("defined_as") or klass["qualname"])
        label = f"{owner.rsplit('.', 1)[-1]}.{name}"
        public = sorted({*members, *(real or ())} - {m for m in real or () if m.startswith("_")})
        message = (
            f"`{label}` does not exist: `{owner}` objects have no attribute "
            f"`{name}`{_suggest(name, public)}"
        )
        if real is None:
            self.warning(node, message + " (not confirmed: the installed class could not be read)")
            return True
        self.error(node, message)
        return False

    def _mark_chain(self, node: ast.AST) -> None:
        while isinstance(node, ast.Attribute):
            self.handled.add(id(node))
            node = node.value
        self.handled.add(id(node))

    def visit_Import(self, node: ast.Import) -> None:
        pass  # imports were validated from the first pass

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        pass

    # ---- calls -----------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        self._check_call(node)
        self.generic_visit(node)

    def _check_call(self, node: ast.Call) -> None:
        func = node.func
        full = self.full_name(func)
        if full is not None:
            self._mark_chain(func)
            if not self.spec.checks(full) and self.catalog.lookup(full) is None:
                return
            entry = self.check_reference(func, full)
            if entry is not None:
                via_class = entry["kind"] == "method" and not self.last_on_instance
                self.check_arguments(node, full, entry, via_class=via_class)
            return
        if isinstance(func, ast.Attribute):
            owner = self._class_of_value(func.value)
            if owner is None:
                return
            self.handled.add(id(func))
            self.check_method(node, owner, func.attr)

    def check_method(self, node: ast.Call, owner: str, method: str) -> None:
        """A call on an object of a documented class: `study.optimize(...)`."""
        klass = self.catalog.lookup(owner)
        if klass is None:
            return
        members = klass.get("members", [])
        label = f"{owner.rsplit('.', 1)[-1]}.{method}"
        if method not in members:
            self.check_attribute(node, owner, method)
            return
        entry = self.catalog.lookup(f"{klass['qualname']}.{method}")
        if entry is None:
            return
        if entry.get("deprecated"):
            self.warning(node, f"`{label}` is deprecated: {entry['deprecated']}")
        self.check_arguments(node, label, entry, via_class=False)

    def check_arguments(
        self, node: ast.Call, label: str, entry: dict[str, Any], via_class: bool
    ) -> None:
        """Keyword names, positional count, required and deprecated parameters."""
        params = entry.get("params")
        if params is None:
            return
        if via_class and entry.get("binding") == "instance":
            return  # `Class.method(obj, ...)`: the receiver is passed explicitly
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        keywords = [k.arg for k in node.keywords if k.arg is not None]
        star_args = len(positional) < len(node.args)
        star_kwargs = any(k.arg is None for k in node.keywords)
        slots = [p for p in params if p[1] in ("PO", "PK")]
        names = {p[0]: p for p in params}
        takes_varargs = any(p[1] == "VP" for p in params)
        takes_kwargs = any(p[1] == "VK" for p in params)
        keyword_names = [p[0] for p in params if p[1] in ("PK", "KO")]

        if not takes_varargs and len(positional) > len(slots):
            self.error(
                node,
                f"`{label}` takes at most {len(slots)} positional argument"
                f"{'s' if len(slots) != 1 else ''}, {len(positional)} given; "
                f"signature {entry.get('signature', '')}",
            )
        filled = {p[0] for p in slots[: len(positional)]}
        for keyword in keywords:
            param = names.get(keyword)
            if param is None or param[1] in ("VP", "VK"):
                if not takes_kwargs:
                    self.error(
                        node,
                        f"`{label}` has no keyword argument `{keyword}`"
                        f"{_suggest(keyword, keyword_names)}; signature "
                        f"{entry.get('signature', '')}",
                    )
            elif param[1] == "PO" and not takes_kwargs:
                self.error(node, f"`{label}`: `{keyword}` is positional-only")
            elif keyword in filled:
                self.error(node, f"`{label}` got `{keyword}` both by position and by keyword")
        if not (star_args or star_kwargs):
            given = filled | set(keywords)
            missing = [
                p[0]
                for p in params
                if p[1] in ("PO", "PK", "KO") and p[2] is None and p[0] not in given
            ]
            if missing:
                self.error(
                    node,
                    f"`{label}` is missing required argument"
                    f"{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(f'`{m}`' for m in missing)}",
                )
        for keyword in keywords:
            note = entry.get("deprecated_params", {}).get(keyword)
            if note:
                self.warning(node, f"`{label}(..., {keyword}=...)` is deprecated: {note}")


def _set_on_instances(klass: dict[str, Any], name: str) -> bool:
    """Whether the installed class gives its instances `name` (or any name, via `__getattr__`)."""
    real = installed_attributes(klass.get("defined_as") or klass["qualname"])
    return real is not None and (name in real or "__getattr__" in real)


@lru_cache(maxsize=64)
def installed_attributes(defined_as: str) -> frozenset[str] | None:
    """Every attribute an instance of the installed class can have, or None if it cannot be read.

    `dir()` of the class, plus what its methods assign to `self`, its `__slots__` and its
    annotated fields, over the whole MRO. Imports the library: used only when the index
    does not list a name, so the common path stays import-free.
    """
    module_name, _, class_name = defined_as.rpartition(".")
    try:
        klass = getattr(importlib.import_module(module_name), class_name)
    except Exception:  # noqa: BLE001 - not installed, or broken on import: cannot confirm
        return None
    if not isinstance(klass, type):
        return None
    names = set(dir(klass))
    for base in klass.__mro__:
        if base is object:
            continue
        names.update(getattr(base, "__slots__", ()) or ())
        names.update(getattr(base, "__annotations__", {}) or {})
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(base)))
        except (OSError, TypeError, SyntaxError):
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                names.add(node.attr)
    return frozenset(names)


def _findings(problems: list[tuple[ast.AST, str, str]]) -> list[Finding]:
    findings: list[Finding] = []
    for node, severity, message in problems:
        finding = Finding(severity, message, getattr(node, "lineno", 1))
        if finding not in findings:
            findings.append(finding)
    findings.sort(key=lambda f: (f.line, f.severity != "error", f.message))
    return findings


def _library_path(name: str, spec: LibrarySpec, catalog: Catalog) -> str | None:
    """The documented module of the library an unbound name most likely means (`prune`)."""
    if name == spec.root:
        return name
    if _is_top_level_module(name):
        return None  # `sklearn` is the package, not `mlflow.sklearn`
    modules = _elsewhere(name, spec, catalog, {"module"})
    return modules[0] if modules else None


def _is_top_level_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _unbound_findings(
    original: str, source: str, spec: LibrarySpec, catalog: Catalog, bindings: _Bindings
) -> list[Finding]:
    """Names the edit reads but never binds, each with the import that binds it.

    A name that means a module of the library (`prune`, `mlflow`) is bound to it for the
    rest of the check, so `prune.l1_ungstructured` is judged too, not silently skipped.
    """
    findings = []
    for unbound in new_unbound_names(original, source):
        name = unbound.name
        path = _library_path(name, spec, catalog)
        message = f"`{name}` is used but never imported or assigned (NameError when run)"
        if unbound.removed:
            message = (
                f"`{name}` is used but no longer assigned: the edit deleted or renamed the "
                f"original statement that set it (NameError when run)"
            )
        if unbound.dotted_import:
            parent = unbound.dotted_import.rsplit(".", 1)[0]
            message += (
                f": `import {unbound.dotted_import}` binds `{unbound.dotted_import.split('.')[0]}`,"
                f" not `{name}`; write `from {parent} import {name}`"
            )
            path = path or unbound.dotted_import
        elif path == spec.root:
            message += f"; add `import {name}` at the top"
        elif path is not None:
            message += f"; add `from {path.rsplit('.', 1)[0]} import {name}`"
        elif unbound.close:
            message += f"; did you mean {', '.join(unbound.close)}?"
        elif name in _COMMON_IMPORTS:
            message += f"; add `{_COMMON_IMPORTS[name]}`"
        elif not unbound.removed and _is_top_level_module(name):
            # a deleted assignment is the cause; an installed module of that name is a coincidence
            message += f"; add `import {name}`"
        if path is not None and path.split(".")[0] == spec.root:
            bindings.names[name] = path
        findings.append(Finding("error", message, unbound.line))
    return findings


# Conventional aliases a model forgets to import; named in the reason so its repair can add them.
_COMMON_IMPORTS = {
    "np": "import numpy as np",
    "pd": "import pandas as pd",
    "nn": "from torch import nn",
    "plt": "import matplotlib.pyplot as plt",
}


def check_api_calls(
    module: cst.Module | str,
    library: str,
    version: str | None = None,
    original: str | None = None,
) -> list[Finding]:
    """V3 findings for every reference into `library` (a task's library name) in a module.

    `module` is a libcst Module or the source text itself (text skips a codegen pass).
    `version` defaults to the installed version; a version that is not indexed is checked
    against the nearest indexed one, with a warning. With the `original` script, names the
    edit reads but never binds are reported too (`mlflow` used without `import mlflow`).
    """
    spec = LIBRARIES.get(library)
    if spec is None:
        return [Finding("warning", f"no API index for library {library!r}; calls not checked", 1)]
    try:
        catalog, version_warning = load_catalog_checked(library, version)
    except LookupError as err:
        return [Finding("warning", f"{err}; calls not checked", 1)]
    source = module if isinstance(module, str) else module.code
    try:
        # The stdlib tree is several times faster to walk than libcst's, and has line numbers.
        tree = ast.parse(source)
    except SyntaxError as err:
        return [Finding("error", f"cannot parse: {err.msg}", err.lineno or 1)]
    bindings = _Bindings({spec.root})
    bindings.visit(tree)
    unbound = _unbound_findings(original, source, spec, catalog, bindings) if original else []
    checker = _Checker(spec, catalog, bindings)
    for node, dotted in bindings.imports:
        checker.check_reference(node, dotted)
    checker.visit(tree)
    findings = _findings(checker.problems)
    findings = sorted(unbound + findings, key=lambda f: (f.line, f.severity != "error"))
    if version_warning:
        findings.insert(0, Finding("warning", version_warning, 1))
    return findings


def known_api(qualname: str) -> bool:
    """Whether a dotted name exists in the docs index (re-exported for other users)."""
    from mlops_adapt.retrieval.catalog import known_api as _known_api

    return _known_api(qualname)
