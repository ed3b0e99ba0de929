"""V3, API reality: every reference into the target library must exist in the docs index.

The check reads the committed corpus (`mlops_adapt.retrieval.catalog`), never the library
itself, so it works where the library is not installed. It resolves import aliases, follows
the well-known objects a call returns (`study = optuna.create_study()`), and judges each
call's keyword and positional arguments against the recorded signature.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from mlops_adapt.retrieval.catalog import Catalog, load_catalog_checked
from mlops_adapt.retrieval.libraries import LIBRARIES, LibrarySpec


@dataclass(frozen=True)
class Finding:
    """One V3 problem: an error fails the check, a warning only flags it."""

    severity: str  # "error" or "warning"
    message: str
    line: int


def _dotted(node: cst.BaseExpression) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"], or None for anything that is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return parts[::-1]
    return None


def _module_name(node: cst.BaseExpression | None) -> str | None:
    parts = _dotted(node) if node is not None else None
    return ".".join(parts) if parts else None


def _suggest(name: str, candidates: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        lowered = name.lower().replace("_", "")
        close = [c for c in candidates if lowered and lowered in c.lower().replace("_", "")][:3]
    return f"; did you mean {', '.join(close)}?" if close else ""


class _Bindings(cst.CSTVisitor):
    """First pass: what each local name means (imports) and what each variable holds."""

    def __init__(self, roots: set[str]) -> None:
        self.roots = roots
        self.names: dict[str, str] = {}  # local name -> dotted path in the library
        self.imports: list[tuple[cst.CSTNode, str]] = []  # (node, dotted path) to validate
        self.assigned: dict[str, list[cst.BaseExpression | None]] = {}

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = _module_name(alias.name)
            if not dotted or dotted.split(".")[0] not in self.roots:
                continue
            self.imports.append((node, dotted))
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.names[alias.asname.name.value] = dotted
            else:
                root = dotted.split(".")[0]
                self.names[root] = root

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or isinstance(node.names, cst.ImportStar):
            return
        module = _module_name(node.module)
        if not module or module.split(".")[0] not in self.roots:
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            dotted = f"{module}.{alias.name.value}"
            self.imports.append((node, dotted))
            local = alias.name.value
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.names[local] = dotted

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.assigned.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, node.item)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None)

    def visit_Param(self, node: cst.Param) -> None:
        self._bind(node.name, None)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._bind(node.name, None)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name, None)


class _Checker(cst.CSTVisitor):
    """Second pass: judge every reference and call into the library."""

    def __init__(self, spec: LibrarySpec, catalog: Catalog, bindings: _Bindings) -> None:
        self.spec = spec
        self.catalog = catalog
        self.names = bindings.names
        self.problems: list[tuple[cst.CSTNode, str, str]] = []
        self.handled: set[int] = set()
        self.instances: dict[str, str] = {}
        self.last_on_instance = False
        self._resolve_instances(bindings.assigned)

    # ---- what expressions mean -------------------------------------------------------
    def full_name(self, node: cst.BaseExpression) -> str | None:
        parts = _dotted(node)
        if not parts or parts[0] not in self.names:
            return None
        return ".".join([self.names[parts[0]], *parts[1:]])

    def _class_of_value(self, value: cst.BaseExpression | None) -> str | None:
        """The documented class of the object an expression evaluates to, if known."""
        if value is None:
            return None
        if isinstance(value, cst.Call):
            full = self.full_name(value.func)
            entry = self.catalog.lookup(full) if full else None
            if entry is None and isinstance(value.func, cst.Attribute):
                owner = self._class_of_value(value.func.value)
                if owner is not None:
                    entry = self.catalog.lookup(f"{owner}.{value.func.attr.value}")
            if entry is None:
                return None
            if entry["kind"] == "class":
                return entry["qualname"]
            if entry.get("returns"):
                returned = self.catalog.class_entry(entry["returns"])
                return returned["qualname"] if returned else None
            return None
        if isinstance(value, cst.Name) and value.value in self.instances:
            return self.instances[value.value]
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

    # ---- reporting -------------------------------------------------------------------
    def error(self, node: cst.CSTNode, message: str) -> None:
        self.problems.append((node, "error", message))

    def warning(self, node: cst.CSTNode, message: str) -> None:
        self.problems.append((node, "warning", message))

    # ---- references ------------------------------------------------------------------
    def check_reference(self, node: cst.CSTNode, full: str) -> dict[str, Any] | None:
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
                if self.spec.checks(name):
                    kind = "module" if entry["kind"] == "module" else "class"
                    self.error(node, f"`{name}` does not exist: {kind} `{prefix}` has no "
                                     f"attribute `{part}`{_suggest(part, members)}")
                return None
            next_entry = self.catalog.lookup(f"{entry['qualname']}.{part}")
            if next_entry is None:
                return None  # exists, but not documented in detail (e.g. an unindexed module)
            entry, prefix = next_entry, name
        if entry.get("deprecated") and self.spec.checks(full):
            self.warning(node, f"`{full}` is deprecated: {entry['deprecated']}")
        return entry

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if id(node) in self.handled:
            return True
        full = self.full_name(node)
        if full is not None:
            self._mark_chain(node)
            self.check_reference(node, full)
        return True

    def _mark_chain(self, node: cst.BaseExpression) -> None:
        while isinstance(node, cst.Attribute):
            self.handled.add(id(node))
            node = node.value
        self.handled.add(id(node))

    def visit_Import(self, node: cst.Import) -> bool:
        return False  # imports were validated from the first pass

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    # ---- calls -----------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
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
        if isinstance(func, cst.Attribute):
            owner = self._class_of_value(func.value)
            if owner is None:
                return
            self.handled.add(id(func))
            self.check_method(node, owner, func.attr.value)

    def check_method(self, node: cst.Call, owner: str, method: str) -> None:
        """A call on an object of a documented class: `study.optimize(...)`."""
        klass = self.catalog.lookup(owner)
        if klass is None:
            return
        members = klass.get("members", [])
        label = f"{owner.rsplit('.', 1)[-1]}.{method}"
        if method not in members:
            if not klass.get("open") and self.spec.checks(owner):
                self.error(node, f"`{label}` does not exist: `{owner}` objects have no "
                                 f"attribute `{method}`{_suggest(method, members)}")
            return
        entry = self.catalog.lookup(f"{klass['qualname']}.{method}")
        if entry is None:
            return
        if entry.get("deprecated"):
            self.warning(node, f"`{label}` is deprecated: {entry['deprecated']}")
        self.check_arguments(node, label, entry, via_class=False)

    def check_arguments(self, node: cst.Call, label: str, entry: dict[str, Any],
                        via_class: bool) -> None:
        """Keyword names, positional count, required and deprecated parameters."""
        params = entry.get("params")
        if params is None:
            return
        if via_class and entry.get("binding") == "instance":
            return  # `Class.method(obj, ...)`: the receiver is passed explicitly
        positional = [a for a in node.args if a.keyword is None and not a.star]
        keywords = [a.keyword.value for a in node.args if a.keyword is not None]
        star_args = any(a.star == "*" for a in node.args)
        star_kwargs = any(a.star == "**" for a in node.args)
        slots = [p for p in params if p[1] in ("PO", "PK")]
        names = {p[0]: p for p in params}
        takes_varargs = any(p[1] == "VP" for p in params)
        takes_kwargs = any(p[1] == "VK" for p in params)
        keyword_names = [p[0] for p in params if p[1] in ("PK", "KO")]

        if not takes_varargs and len(positional) > len(slots):
            self.error(node, f"`{label}` takes at most {len(slots)} positional argument"
                             f"{'s' if len(slots) != 1 else ''}, {len(positional)} given; "
                             f"signature {entry.get('signature', '')}")
        filled = {p[0] for p in slots[: len(positional)]}
        for keyword in keywords:
            param = names.get(keyword)
            if param is None or param[1] in ("VP", "VK"):
                if not takes_kwargs:
                    self.error(node, f"`{label}` has no keyword argument `{keyword}`"
                                     f"{_suggest(keyword, keyword_names)}; signature "
                                     f"{entry.get('signature', '')}")
            elif param[1] == "PO" and not takes_kwargs:
                self.error(node, f"`{label}`: `{keyword}` is positional-only")
            elif keyword in filled:
                self.error(node, f"`{label}` got `{keyword}` both by position and by keyword")
        if not (star_args or star_kwargs):
            given = filled | set(keywords)
            missing = [
                p[0] for p in params
                if p[1] in ("PO", "PK", "KO") and p[2] is None and p[0] not in given
            ]
            if missing:
                self.error(node, f"`{label}` is missing required argument"
                                 f"{'s' if len(missing) > 1 else ''} "
                                 f"{', '.join(f'`{m}`' for m in missing)}")
        for keyword in keywords:
            note = entry.get("deprecated_params", {}).get(keyword)
            if note:
                self.warning(node, f"`{label}(..., {keyword}=...)` is deprecated: {note}")


def _problems_to_findings(module: cst.Module,
                          problems: list[tuple[cst.CSTNode, str, str]]) -> list[Finding]:
    if not problems:
        return []
    # Positions are computed only when something is reported: it costs a full codegen.
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    findings = []
    seen = set()
    for node, severity, message in problems:
        position = positions.get(node)
        line = position.start.line if position is not None else 1
        key = (severity, message, line)
        if key not in seen:
            seen.add(key)
            findings.append(Finding(severity, message, line))
    findings.sort(key=lambda f: (f.line, f.severity != "error", f.message))
    return findings


def check_api_calls(module: cst.Module, library: str, version: str | None = None) -> list[Finding]:
    """V3 findings for every reference into `library` (a task's library name) in a module.

    `version` defaults to the installed version; a version that is not indexed is checked
    against the nearest indexed one, with a warning.
    """
    spec = LIBRARIES.get(library)
    if spec is None:
        return [Finding("warning", f"no API index for library {library!r}; calls not checked", 1)]
    try:
        catalog, version_warning = load_catalog_checked(library, version)
    except LookupError as err:
        return [Finding("warning", f"{err}; calls not checked", 1)]
    bindings = _Bindings({spec.root})
    module.visit(bindings)
    checker = _Checker(spec, catalog, bindings)
    for node, dotted in bindings.imports:
        checker.check_reference(node, dotted)
    module.visit(checker)
    findings = _problems_to_findings(module, checker.problems)
    if version_warning:
        findings.insert(0, Finding("warning", version_warning, 1))
    return findings


def known_api(qualname: str) -> bool:
    """Whether a dotted name exists in the docs index (re-exported for other users)."""
    from mlops_adapt.retrieval.catalog import known_api as _known_api

    return _known_api(qualname)
