"""Hybrid retrieval over the docs index: dense (Chroma) plus identifier-aware BM25, fused by RRF.

A library's docs are embedded on first use (lazy.py: the installed version, shipped vectors
reused, one line on stderr), so dense retrieval works without `mlops-adapt index build`. Without
chromadb or sentence-transformers, retrieval falls back to lexical-only and says so (a warning,
and `Retrieval.note`); so does a version mismatch that could not be indexed.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from mlops_adapt.retrieval.catalog import Catalog, load_catalog
from mlops_adapt.retrieval.lexical import BM25, SymbolIndex, lexical_text
from mlops_adapt.retrieval.libraries import LIBRARIES

RRF_K = 60  # the usual reciprocal-rank-fusion constant; dampens the weight of rank 1
DEPTH = 40  # candidates taken from each ranker before fusion
NOTE_LINKS = 3  # how many of a note's named APIs follow it into the ranking
# Intent queries usually want the library's entry points; methods of helper classes
# (storage backends, observers) crowd them out unless they rank a little lower.
KIND_WEIGHT = {"module": 0.8}
METHOD_WEIGHT = 0.85  # methods of classes outside the library's core
UNDOCUMENTED_WEIGHT = 0.85  # an API without a docstring is rarely the one a task needs
MODES = ("hybrid", "dense", "lexical")
_LOCK = threading.Lock()
_STORES: dict[str, Any] = {}  # by server address or embedded store path
_WARNED: set[str] = set()
_EMBEDDED: set[tuple[str, str, str]] = set()  # (store key, library, version) seen stored


@dataclass(frozen=True)
class Hit:
    """One retrieved API (or usage note), with what a prompt needs to call it correctly."""

    qualname: str
    library: str
    version: str
    kind: str
    signature: str
    summary: str
    score: float
    text: str = ""  # usage notes carry their full text here
    deprecated: str = ""

    def render(self) -> str:
        """Compact doc text for a prompt: one line of signature, one of summary."""
        if self.kind == "note":
            return f"[{self.library} {self.version} note] {self.summary}\n  {self.text}"
        head = f"{self.qualname}{self.signature}" if self.signature else self.qualname
        lines = [f"{head}  [{self.library} {self.version} {self.kind}]"]
        if self.summary:
            lines.append(f"  {self.summary}")
        if self.deprecated:
            lines.append(f"  DEPRECATED: {self.deprecated}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form printed by `index query --json`."""
        return asdict(self)


@dataclass
class Retrieval:
    """Hits plus how they were found (`mode`) and why dense was skipped, if it was."""

    hits: list[Hit]
    mode: str
    note: str | None = None
    versions: dict[str, str] = field(default_factory=dict)


def _hit(entry: dict[str, Any], score: float) -> Hit:
    return Hit(
        qualname=entry["qualname"],
        library=entry["library"],
        version=entry["version"],
        kind=entry["kind"],
        signature=entry.get("signature", ""),
        summary=entry.get("summary", ""),
        score=round(float(score), 6),
        text=entry.get("text", ""),
        deprecated=entry.get("deprecated", "") or "",
    )


class _Corpus:
    """The retrievable entries of some catalogs, with their BM25 index."""

    def __init__(self, catalogs: list[Catalog]) -> None:
        self.catalogs = catalogs
        self.entries: list[dict[str, Any]] = [e for c in catalogs for e in c.documented()]
        self.position = {(e["library"], e["qualname"]): i for i, e in enumerate(self.entries)}
        self.bm25 = BM25([lexical_text(e) for e in self.entries])
        self.symbols = SymbolIndex([e["qualname"] for e in self.entries])
        # Overrides that inherit one docstring (four storages' `get_study_id_from_name`) are one
        # API for a reader: rank them as one, shown under the shortest (most public) name.
        groups: dict[tuple[str, str, str], int] = {}
        self.representative = list(range(len(self.entries)))
        # `wandb.save` wraps `wandb.Run.save` with the same docstring: the same goes for them.
        for index, entry in enumerate(self.entries):
            key = self._group_key(entry)
            if key is None:
                continue
            best = groups.get(key)
            if best is None or len(entry["qualname"]) < len(self.entries[best]["qualname"]):
                groups[key] = index
        for index, entry in enumerate(self.entries):
            key = self._group_key(entry)
            if key is not None:
                self.representative[index] = groups[key]

        # A library's core classes: exported from its root package, or returned by its API
        # (a Study, a Repo, a Run). Their methods weigh as much as functions.
        core = set()
        for catalog in catalogs:
            root = catalog.library_root
            for entry in catalog.entries.values():
                if (
                    entry.get("kind") == "class"
                    and entry["qualname"].count(".") == 1
                    and entry["qualname"].startswith(root + ".")
                ):
                    core.add(entry["qualname"])
                returned = entry.get("returns") or entry.get("instance_of")
                target = catalog.class_entry(returned) if returned else None
                if target is not None:
                    core.add(target["qualname"])
        self.weight = [
            (
                METHOD_WEIGHT
                if e["kind"] == "method" and e["qualname"].rsplit(".", 1)[0] not in core
                else KIND_WEIGHT.get(e["kind"], 1.0)
            )
            * (1.0 if e.get("summary") else UNDOCUMENTED_WEIGHT)
            for e in self.entries
        ]
        self.linked: dict[int, list[int]] = {}
        for index, entry in enumerate(self.entries):
            if entry["kind"] == "note":
                targets = []
                for api in entry.get("apis", [])[:NOTE_LINKS]:
                    target = self._index_of(entry["library"], api)
                    if target is not None:
                        targets.append(self.representative[target])
                self.linked[index] = targets

    @staticmethod
    def _group_key(entry: dict[str, Any]) -> tuple[str, str, str] | None:
        # Only a shared, non-empty docstring says two entries are one API.
        if entry["kind"] in ("method", "function") and entry.get("summary"):
            return (
                entry["library"],
                entry["qualname"].rsplit(".", 1)[-1],
                entry.get("summary", ""),
            )
        return None

    def _index_of(self, library: str, qualname: str) -> int | None:
        for catalog in self.catalogs:
            if catalog.library == library:
                canonical = catalog.canonical(qualname)
                return self.position.get((library, canonical)) if canonical else None
        return None

    def collapse(self, ranking: list[tuple[int, float]]) -> list[tuple[int, float]]:
        """Representatives only, best first; a usage note pulls the APIs it names up behind it."""
        seen: set[int] = set()
        collapsed = []
        for index, score in ranking:
            for member in [self.representative[index], *self.linked.get(index, ())]:
                if member not in seen:
                    seen.add(member)
                    collapsed.append((member, score))
        return collapsed


@lru_cache(maxsize=16)
def _corpus(libraries: tuple[str, ...], versions: tuple[str | None, ...]) -> _Corpus:
    return _Corpus([load_catalog(lib, ver) for lib, ver in zip(libraries, versions, strict=True)])


def _store_key(server: str | None) -> str:
    import os

    from mlops_adapt.retrieval import paths
    from mlops_adapt.retrieval.store import CHROMA_ENV

    return server or os.environ.get(CHROMA_ENV) or str(paths.chroma_dir())


def _store(server: str | None) -> Any:
    from mlops_adapt.retrieval.store import DocStore, open_client

    key = _store_key(server)
    with _LOCK:
        if key not in _STORES:
            _STORES[key] = DocStore(open_client(server))
        return _STORES[key]


def _where_versions(corpus: _Corpus) -> tuple[str | None, str | None]:
    if len(corpus.catalogs) == 1:
        return corpus.catalogs[0].library, corpus.catalogs[0].version
    return None, None


@lru_cache(maxsize=256)
def _query_vector(text: str) -> list[float]:
    """A query's embedding; batch runs and the editor ask the same task queries again and again."""
    from mlops_adapt.retrieval.embed import embed

    return embed([text])[0]


def _dense(corpus: _Corpus, text: str, server: str | None, limit: int) -> list[tuple[int, float]]:
    """Dense ranking; raises RuntimeError subclasses (or LookupError) when unavailable."""
    from mlops_adapt.retrieval.lazy import ensure_embedded

    store = _store(server)
    key = _store_key(server)
    for catalog in corpus.catalogs:
        if (key, catalog.library, catalog.version) not in _EMBEDDED:
            with _LOCK:
                ensure_embedded(store, catalog)
            _EMBEDDED.add((key, catalog.library, catalog.version))
    vector = _query_vector(text)
    library, version = _where_versions(corpus)
    ranked = []
    wanted = {(c.library, c.version) for c in corpus.catalogs}
    for qualname, hit_library, hit_version, score in store.query(
        vector, library, version, limit * 2
    ):
        index = corpus.position.get((hit_library, qualname))
        if index is not None and (hit_library, hit_version) in wanted:
            ranked.append((index, score))
    return ranked[:limit]


def _lexical(corpus: _Corpus, text: str) -> list[tuple[int, float]]:
    """Exact identifier hits first (code context), then BM25 over split identifiers."""
    symbols = corpus.symbols.search(text, DEPTH)
    if not symbols:
        return corpus.bm25.search(text, DEPTH)
    seen = {index for index, _ in symbols}
    rest = [(i, s) for i, s in corpus.bm25.search(text, DEPTH) if i not in seen]
    top = max(score for _, score in rest) if rest else 0.0
    # Symbol hits outrank any BM25 score while keeping their own order.
    return [(i, top + 1 + s) for i, s in symbols] + rest


def _fuse(corpus: _Corpus, rankings: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
    """Reciprocal rank fusion, weighted by entry kind."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, (index, _score) in enumerate(ranking):
            scores[index] = scores.get(index, 0.0) + 1.0 / (RRF_K + rank + 1)
    for index in scores:
        scores[index] *= corpus.weight[index]
    return sorted(scores.items(), key=lambda item: -item[1])


def retrieve_detailed(
    text: str,
    library: str | None,
    k: int = 8,
    *,
    mode: str = "hybrid",
    version: str | None = None,
    server: str | None = None,
) -> Retrieval:
    """Best `k` entries for a task intent or code context, best first, with the mode used.

    `library` is a task library name ("mlflow", "wandb", "optuna", "torch", "dvc", "git") or
    None for all; `version` pins one indexed version (default: installed, else nearest).
    """
    if mode not in MODES:
        raise ValueError(f"unknown retrieval mode {mode!r}; expected one of {', '.join(MODES)}")
    libraries = (library,) if library else tuple(LIBRARIES)
    if library and library not in LIBRARIES:
        raise KeyError(f"unknown library {library!r}; known libraries: {', '.join(LIBRARIES)}")
    notes = []
    if mode != "lexical" and version is None:
        from mlops_adapt.retrieval.lazy import match_installed

        notes += [n for n in map(match_installed, libraries) if n]
    available = []
    for name in libraries:
        try:
            load_catalog(name, version if library else None)
        except LookupError:
            continue
        available.append(name)
    if not available:
        raise LookupError(f"no API index for {library or 'any library'}")
    corpus = _corpus(tuple(available), tuple(version if library else None for _ in available))
    versions = {c.library: c.version for c in corpus.catalogs}
    rankings: list[list[tuple[int, float]]] = []
    used = mode
    if mode in ("hybrid", "dense"):
        try:
            rankings.append(corpus.collapse(_dense(corpus, text, server, DEPTH)))
        except Exception as err:  # noqa: BLE001 - any dense failure degrades to lexical
            notes.append(f"dense retrieval unavailable ({err}); using lexical retrieval only")
            used = "lexical"
    for message in notes:
        if message not in _WARNED:
            _WARNED.add(message)
            warnings.warn(message, RuntimeWarning, stacklevel=2)
    note = "; ".join(notes) or None
    if used == "hybrid":
        # Exact identifier hits are a third ranker, so a named API is not out-voted.
        rankings.append(corpus.collapse(corpus.bm25.search(text, DEPTH)))
        rankings.append(corpus.collapse(corpus.symbols.search(text, DEPTH)))
    elif used == "lexical":
        rankings.append(corpus.collapse(_lexical(corpus, text)))
    ranked = _fuse(corpus, rankings) if used == "hybrid" else rankings[0]
    hits = [_hit(corpus.entries[index], score) for index, score in ranked[:k]]
    return Retrieval(hits=hits, mode=used, note=note, versions=versions)


def retrieve(text: str, library: str | None, k: int = 8) -> list[Hit]:
    """Hybrid retrieval of the `k` best API docs for `text` in a target library, best first."""
    return retrieve_detailed(text, library, k).hits


def build_index(
    libraries: list[str] | None = None,
    server: str | None = None,
    from_installed: bool = True,
) -> list[dict[str, Any]]:
    """Index libraries: introspect installed versions (else use the committed corpus), embed.

    Unchanged entries keep their content-hash ids and are not embedded again; shipped and cached
    vectors stand in for the model wherever the text is the same (see vectors.py).
    """
    from mlops_adapt.retrieval import paths
    from mlops_adapt.retrieval.build import build_corpus
    from mlops_adapt.retrieval.catalog import _installed_version
    from mlops_adapt.retrieval.corpus import list_corpus_files
    from mlops_adapt.retrieval.lazy import embed_catalog

    names = libraries or list(LIBRARIES)
    outcome: dict[str, str] = {}
    if from_installed:
        # A committed file of the installed version is that version's introspection already;
        # reading the library again would only cost its import time.
        shipped = {(lib, ver) for lib, ver, _ in list_corpus_files(paths.committed_corpus_dir())}
        for name in names:
            version = _installed_version(LIBRARIES[name].dist)
            if (name, version) in shipped:
                outcome[name] = version
        todo = [name for name in names if name not in outcome]
        if todo:
            outcome.update(build_corpus(paths.user_corpus_dir(), todo))
    store = _store(server)
    reports = []
    for number, name in enumerate(names, 1):
        catalog = load_catalog(name)
        report = embed_catalog(store, catalog, label=f"[{number}/{len(names)}] ")
        reports.append(
            {
                "library": name,
                "version": catalog.version,
                "source": "installed" if outcome.get(name) == catalog.version else "committed",
                "added": report.added,
                "removed": report.removed,
                "kept": report.kept,
            }
        )
    _corpus.cache_clear()
    return reports
