"""The committed (or user-built) docs corpus as a lookup table, without importing any library."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mlops_adapt.retrieval import paths
from mlops_adapt.retrieval.corpus import list_corpus_files, read_corpus, read_notes
from mlops_adapt.retrieval.libraries import LIBRARIES, get_library

_LOCK = threading.Lock()


def version_key(version: str) -> tuple[int, ...]:
    """Sortable release numbers of a version string (`2.13.0+cpu` -> (2, 13, 0))."""
    release = re.split(r"[+-]|[a-z]", version.lower(), maxsplit=1)[0]
    return tuple(int(part) for part in re.findall(r"\d+", release)[:4])


def _nearest(wanted: str, available: list[str]) -> str:
    target = version_key(wanted)
    width = max(len(target), *(len(version_key(v)) for v in available))

    def distance(version: str) -> tuple[int, ...]:
        key = version_key(version) + (0,) * width
        padded = target + (0,) * width
        return tuple(abs(a - b) for a, b in zip(key[:width], padded[:width], strict=True))

    return min(available, key=lambda v: (distance(v), [-n for n in version_key(v)]))


def _specifier_holds(specifier: str, version: str) -> bool:
    """Whether a PEP 440 specifier admits a version (True when unparseable: notes are hints)."""
    try:
        from packaging.specifiers import SpecifierSet
        from packaging.version import Version

        return Version(version) in SpecifierSet(specifier)
    except Exception:  # noqa: BLE001 - packaging missing or odd version: keep the note
        return True


@lru_cache(maxsize=32)
def _installed_version(dist: str) -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def available_versions(library: str) -> dict[str, Path]:
    """Indexed versions of a library -> corpus file; user-built files win over committed ones."""
    found: dict[str, Path] = {}
    for folder in (paths.committed_corpus_dir(), paths.user_corpus_dir()):
        for name, version, path in list_corpus_files(folder):
            if name == library:
                found[version] = path
    return found


def select_version(library: str, requested: str | None = None) -> tuple[str, Path, str | None]:
    """(version, corpus file, warning or None) for the installed or requested version."""
    spec = get_library(library)
    available = available_versions(library)
    if not available:
        raise LookupError(
            f"no API index for {library}; run `mlops-adapt index build --lib {library}`"
        )
    wanted = requested
    if wanted is None:
        wanted = _installed_version(spec.dist)
    if wanted is None:
        newest = max(available, key=version_key)
        return newest, available[newest], None
    if wanted in available:
        return wanted, available[wanted], None
    nearest = _nearest(wanted, list(available))
    warning = (
        f"{library} {wanted} is not indexed; checked against the nearest indexed version "
        f"{nearest} (run `mlops-adapt index build --lib {library}` to index {wanted})"
    )
    return nearest, available[nearest], warning


@dataclass
class Catalog:
    """One library@version: entries by qualified name, aliases resolved, notes applied."""

    library: str
    version: str
    entries: dict[str, dict[str, Any]]
    notes: list[dict[str, Any]]
    by_definition: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for qualname, entry in self.entries.items():
            if entry.get("kind") == "class" and entry.get("defined_as"):
                self.by_definition.setdefault(entry["defined_as"], qualname)
        self._canonical_cache: dict[str, str | None] = {}

    @property
    def library_root(self) -> str:
        """The top-level import name of the library (`git` for GitPython)."""
        return get_library(self.library).root

    def canonical(self, qualname: str) -> str | None:
        """The qualified name under which an object is documented, following aliases."""
        if qualname in self._canonical_cache:
            return self._canonical_cache[qualname]
        result: str | None = None
        entry = self.entries.get(qualname)
        if entry is not None:
            result = self.canonical(entry["target"]) if entry["kind"] == "alias" else qualname
        elif qualname in self.by_definition:
            result = self.by_definition[qualname]
        elif "." in qualname:
            parent, _, name = qualname.rpartition(".")
            parent_canonical = self.canonical(parent)
            if parent_canonical is not None and parent_canonical != parent:
                candidate = f"{parent_canonical}.{name}"
                result = self.canonical(candidate) if candidate in self.entries else None
        self._canonical_cache[qualname] = result
        return result

    def lookup(self, qualname: str) -> dict[str, Any] | None:
        """The documented entry for a qualified name or any alias of it."""
        canonical = self.canonical(qualname)
        return self.entries.get(canonical) if canonical else None

    def class_entry(self, defined_as: str) -> dict[str, Any] | None:
        """A class entry from the path where the class is defined (as in `returns`)."""
        return self.lookup(defined_as)

    def documented(self) -> list[dict[str, Any]]:
        """Entries worth retrieving: functions, classes, methods, modules and notes."""
        docs = [
            e
            for e in self.entries.values()
            if e.get("kind") in {"function", "class", "method"}
            or (e.get("kind") == "module" and e.get("summary"))
        ]
        return docs + self.notes


def _note_entry(note: dict[str, Any], library: str, version: str) -> dict[str, Any]:
    return {
        "qualname": f"note:{note['id']}",
        "kind": "note",
        "library": library,
        "version": version,
        "summary": note.get("title", ""),
        "text": " ".join(note.get("text", "").split()),
        "apis": list(note.get("apis", [])),
        "task": note.get("task"),
        "versions": note.get("versions", ""),
    }


def _apply_notes(catalog: Catalog, notes: list[dict[str, Any]]) -> None:
    """Fold the notes' deprecations into the entries they name."""
    for note in notes:
        for api in note.get("apis", []):
            entry = catalog.lookup(api)
            if entry is not None and note.get("deprecated_params"):
                merged = dict(entry.get("deprecated_params", {}))
                merged.update(note["deprecated_params"])
                entry["deprecated_params"] = merged
        for api in note.get("deprecated_apis", []):
            entry = catalog.lookup(api)
            if entry is not None and not entry.get("deprecated"):
                entry["deprecated"] = note.get("title", "deprecated")


@lru_cache(maxsize=64)
def _load(library: str, version: str, path: Path, mtime: float) -> Catalog:
    entries = {e["qualname"]: e for e in read_corpus(path)}
    notes_data = read_notes(paths.notes_file())

    def applies(item: dict[str, Any]) -> bool:
        return item.get("library") == library and _specifier_holds(
            item.get("versions", ""), version
        )

    notes = [n for n in notes_data.get("note", []) if applies(n)]
    catalog = Catalog(library, version, entries, [_note_entry(n, library, version) for n in notes])
    _apply_notes(catalog, notes)
    for doc in notes_data.get("doc", []):
        if applies(doc):
            for qualname, summary in doc.get("summaries", {}).items():
                entry = catalog.lookup(qualname)
                if entry is not None and not entry.get("summary"):
                    entry["summary"] = summary
    return catalog


def load_catalog_checked(library: str, version: str | None = None) -> tuple[Catalog, str | None]:
    """(catalog, warning): the installed (or given) version, or the nearest indexed one.

    Raises KeyError for an unknown library and LookupError when nothing is indexed for it.
    Loaded once per file and version (cached), so repeated checks cost no parsing.
    """
    chosen, path, warning = select_version(library, version)
    with _LOCK:
        catalog = _load(library, chosen, path, path.stat().st_mtime)
    return catalog, warning


def load_catalog(library: str, version: str | None = None) -> Catalog:
    """The catalog of a library (see `load_catalog_checked`), without the version warning."""
    return load_catalog_checked(library, version)[0]


def library_of(qualname: str) -> str | None:
    """The target library whose namespace a dotted name belongs to (`torch.ao...` -> torch)."""
    root = qualname.split(".", 1)[0]
    for spec in LIBRARIES.values():
        if spec.root == root:
            return spec.name
    return None


def known_api(qualname: str) -> bool:
    """Whether a dotted name (function, class, method, module or member) exists in the index."""
    library = library_of(qualname)
    if library is None:
        return False
    try:
        catalog = load_catalog(library)
    except LookupError:
        return False
    if catalog.lookup(qualname) is not None:
        return True
    parent, _, name = qualname.rpartition(".")
    owner = catalog.lookup(parent) if parent else None
    return owner is not None and name in owner.get("members", ())
