"""Build corpus entries by introspecting the installed target libraries (imports them)."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import os
import pkgutil
import types
import warnings
from collections.abc import Callable
from typing import Any

from mlops_adapt.retrieval import docstrings
from mlops_adapt.retrieval.libraries import LibrarySpec

_KIND_CODES = {
    inspect.Parameter.POSITIONAL_ONLY: "PO",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "PK",
    inspect.Parameter.VAR_POSITIONAL: "VP",
    inspect.Parameter.KEYWORD_ONLY: "KO",
    inspect.Parameter.VAR_KEYWORD: "VK",
}
ANNOTATION_CHARS = 60
DEFAULT_CHARS = 40
MAX_MEMBERS = 2000


def installed_version(spec: LibrarySpec) -> str | None:
    """The installed version of the library's distribution, without importing it."""
    try:
        return importlib.metadata.version(spec.dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _annotation_text(annotation: Any) -> str | None:
    if annotation is inspect.Parameter.empty:
        return None
    if isinstance(annotation, str):
        return _short(annotation, ANNOTATION_CHARS)
    text = inspect.formatannotation(annotation)
    return _short(text.replace("typing.", ""), ANNOTATION_CHARS)


def _default_text(default: Any) -> str | None:
    if default is inspect.Parameter.empty:
        return None
    # Defaults computed at import time from the machine would make the corpus unstable.
    if isinstance(default, int) and not isinstance(default, bool) and default == os.getpid():
        return "<current pid>"
    if isinstance(default, str) and default and default in (os.getcwd(), os.path.expanduser("~")):
        return "<machine path>"
    try:
        text = repr(default)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not stop the build
        text = "<default>"
    if " at 0x" in text:
        text = f"<{type(default).__name__}>"
    return _short(text, DEFAULT_CHARS)


def _params(sig: inspect.Signature, drop_first: bool) -> list[list[Any]]:
    params = list(sig.parameters.values())
    if (
        drop_first
        and params
        and params[0].kind
        in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
    ):
        params = params[1:]
    return [
        [p.name, _KIND_CODES[p.kind], _default_text(p.default), _annotation_text(p.annotation)]
        for p in params
    ]


def render_signature(params: list[list[Any]], returns: str | None = None) -> str:
    """`(a, b=1, *, c: int = 2, **kw) -> R` from stored parameter rows."""
    parts: list[str] = []
    saw_star = False
    for index, (name, kind, default, annotation) in enumerate(params):
        if kind == "VP":
            parts.append(f"*{name}")
            saw_star = True
            continue
        if kind == "VK":
            parts.append(f"**{name}")
            continue
        if kind == "KO" and not saw_star:
            parts.append("*")
            saw_star = True
        text = name + (f": {annotation}" if annotation else "")
        if default is not None:
            text += f" = {default}" if annotation else f"={default}"
        parts.append(text)
        next_kind = params[index + 1][1] if index + 1 < len(params) else None
        if kind == "PO" and next_kind != "PO":
            parts.append("/")
    return "(" + ", ".join(parts) + ")" + (f" -> {returns}" if returns else "")


def _safe_signature(obj: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return None


def _resolve_return_class(func: Any, sig: inspect.Signature | None) -> str | None:
    """The defining path of the class a function says it returns, if it names one."""
    if sig is None or sig.return_annotation is inspect.Signature.empty:
        return None
    annotation = sig.return_annotation
    if isinstance(annotation, str):
        namespace = getattr(inspect.unwrap(func), "__globals__", {})
        target: Any = namespace
        for part in annotation.strip("'\"").split("."):
            if not part.isidentifier():
                return None
            target = target.get(part) if isinstance(target, dict) else getattr(target, part, None)
            if target is None:
                return None
        annotation = target
    if isinstance(annotation, type):
        return f"{annotation.__module__}.{annotation.__qualname__}"
    return None


def _doc_fields(obj: Any) -> dict[str, Any]:
    doc = inspect.getdoc(obj) or ""
    name = getattr(obj, "__name__", "")
    param_docs = docstrings.param_docs_of(doc)
    fields: dict[str, Any] = {"summary": docstrings.summary_of(doc)}
    if param_docs:
        fields["param_docs"] = param_docs
    deprecated = docstrings.deprecation_of(doc, name)
    if deprecated or getattr(obj, "__deprecated__", None):
        fields["deprecated"] = deprecated or docstrings.clip(
            str(obj.__deprecated__), docstrings.PARAM_DOC_CHARS
        )
    deprecated_params = docstrings.deprecated_params_of(param_docs)
    if deprecated_params:
        fields["deprecated_params"] = deprecated_params
    return fields


def _public_names(obj: Any) -> list[str]:
    try:
        names = dir(obj)
    except Exception:  # noqa: BLE001 - exotic objects may refuse dir()
        return []
    return sorted(n for n in names if not n.startswith("_"))[:MAX_MEMBERS]


def _submodule_names(module: types.ModuleType) -> list[str]:
    path = getattr(module, "__path__", None)
    if not path:
        return []
    return sorted(m.name for m in pkgutil.iter_modules(path) if not m.name.startswith("_"))


def _belongs(obj: Any, root: str) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == root or module.startswith(root + ".")


class _Builder:
    """Walks modules and classes once, emitting one entry per public API object."""

    def __init__(self, spec: LibrarySpec, version: str) -> None:
        self.spec = spec
        self.version = version
        self.entries: list[dict[str, Any]] = []
        self.seen: dict[int, str] = {}  # id(obj) -> canonical qualname
        self.prefixes = tuple(spec.modules) + tuple(
            path.rpartition(".")[0] for path in spec.extra_classes
        )

    def _documented(self, owner: type) -> bool:
        module = owner.__module__ or ""
        return any(module == p or module.startswith(p + ".") for p in self.prefixes)

    def _emit(self, entry: dict[str, Any]) -> None:
        entry = {"qualname": entry.pop("qualname"), "kind": entry.pop("kind"), **entry}
        entry["library"] = self.spec.name
        entry["version"] = self.version
        self.entries.append(entry)

    def module(self, name: str, full: bool) -> None:
        try:
            module = importlib.import_module(name)
        except Exception as err:  # noqa: BLE001 - an optional submodule may be unusable here
            warnings.warn(f"skipped {name}: {err}", stacklevel=2)
            return
        members = sorted(
            set(_public_names(module))
            | set(_submodule_names(module))
            | set(self.spec.lazy_members.get(name, ()))
        )
        entry: dict[str, Any] = {"qualname": name, "kind": "module", "members": members}
        if full:
            entry["summary"] = docstrings.summary_of(inspect.getdoc(module) or "")
        self._emit(entry)
        if not full:
            return
        for member in _public_names(module):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    obj = getattr(module, member)
            except Exception:  # noqa: BLE001, S112 - a lazy attribute that fails to load is no API
                continue
            qualname = f"{name}.{member}"
            if qualname in self.spec.objects:
                self._emit(
                    {
                        "qualname": qualname,
                        "kind": "object",
                        "instance_of": self.spec.objects[qualname],
                    }
                )
            elif inspect.isclass(obj) and _belongs(obj, self.spec.root):
                self.cls(qualname, obj)
            elif callable(obj) and not inspect.ismodule(obj) and _belongs(obj, self.spec.root):
                self.function(qualname, obj, kind="function")

    def _alias(self, qualname: str, obj: Any) -> bool:
        canonical = self.seen.get(id(obj))
        if canonical is not None:
            if canonical != qualname:
                self._emit({"qualname": qualname, "kind": "alias", "target": canonical})
            return True
        self.seen[id(obj)] = qualname
        return False

    def function(
        self,
        qualname: str,
        func: Any,
        kind: str,
        binding: str | None = None,
        drop_first: bool = False,
    ) -> None:
        if binding is None and self._alias(qualname, func):
            return
        sig = _safe_signature(func)
        entry: dict[str, Any] = {"qualname": qualname, "kind": kind}
        if sig is not None:
            params = sig.parameters
            # Module-level wrappers of bound methods (`wandb.log`) still show `self`.
            first_is_self = bool(params) and next(iter(params)) == "self"
            entry["params"] = _params(sig, drop_first or first_is_self)
            returns = _annotation_text(sig.return_annotation)
            entry["signature"] = render_signature(entry["params"], returns)
            returns_class = _resolve_return_class(func, sig)
            if returns_class:
                entry["returns"] = returns_class
        if binding:
            entry["binding"] = binding
        entry.update(_doc_fields(func))
        self._emit(entry)

    def cls(self, qualname: str, klass: type) -> None:
        if self._alias(qualname, klass):
            return
        sig = _safe_signature(klass)
        entry: dict[str, Any] = {
            "qualname": qualname,
            "kind": "class",
            "defined_as": f"{klass.__module__}.{klass.__qualname__}",
            "members": _public_names(klass),
        }
        if sig is not None:
            entry["params"] = _params(sig, drop_first=False)
            entry["signature"] = render_signature(entry["params"])
        if "__getattr__" in {n for base in klass.__mro__[:-1] for n in vars(base)}:
            entry["open"] = True
        entry.update(_doc_fields(klass))
        self._emit(entry)
        for member in entry["members"]:
            raw, owner = None, None
            for base in klass.__mro__:
                if member in vars(base):
                    raw, owner = vars(base)[member], base
                    break
            # Methods inherited from outside the documented modules (torch.nn.Module's
            # hundred methods on every observer) stay members only, not entries.
            if raw is None or isinstance(raw, property) or not self._documented(owner):
                continue
            if isinstance(raw, staticmethod):
                func, binding, drop = raw.__func__, "static", False
            elif isinstance(raw, classmethod):
                func, binding, drop = raw.__func__, "class", True
            elif inspect.isfunction(raw) or (inspect.ismethoddescriptor(raw) and callable(raw)):
                func, binding, drop = raw, "instance", True
            else:
                continue
            self.function(
                f"{qualname}.{member}", func, kind="method", binding=binding, drop_first=drop
            )

    def extra_class(self, path: str) -> None:
        module_name, _, class_name = path.rpartition(".")
        try:
            klass = getattr(importlib.import_module(module_name), class_name)
        except Exception as err:  # noqa: BLE001 - a missing extra class is not fatal
            warnings.warn(f"skipped {path}: {err}", stacklevel=2)
            return
        if id(klass) in self.seen:
            canonical = self.seen[id(klass)]
            if canonical != path:
                self._emit({"qualname": path, "kind": "alias", "target": canonical})
            return
        self.cls(path, klass)


def build_library(
    spec: LibrarySpec, progress: Callable[[str], None] | None = None
) -> list[dict[str, Any]]:
    """Every corpus entry for one installed library (raises ImportError if not installed)."""
    version = installed_version(spec)
    if version is None:
        raise ImportError(f"{spec.dist} is not installed")
    builder = _Builder(spec, version)
    for name in spec.member_only:
        builder.module(name, full=False)
    for name in spec.modules:
        if progress:
            progress(name)
        builder.module(name, full=True)
    for path in spec.extra_classes:
        builder.extra_class(path)
    return builder.entries
