"""Dense retrieval out of the box: a library's docs are indexed on first use, at the installed version.

Two steps, each once per machine and each announced in one line on stderr:
- the installed version has no corpus file: it is introspected in a child process into the
  user cache (seconds). If that fails, the nearest indexed version is used and the note says so;
- the version is not in the vector store yet: its entries are embedded, reusing the shipped
  and cached vectors (see vectors.py), so only texts new to this machine cost model time.
"""

from __future__ import annotations

import os
import subprocess
import sys

from mlops_adapt import progress
from mlops_adapt.retrieval import paths
from mlops_adapt.retrieval.catalog import Catalog, _installed_version, available_versions
from mlops_adapt.retrieval.libraries import get_library
from mlops_adapt.retrieval.store import DocStore, SyncReport

INTROSPECT_TIMEOUT = 300.0
_TRIED: set[tuple[str, str]] = set()  # (library, version) introspected in this process already


def embed_catalog(store: DocStore, catalog: Catalog, label: str = "") -> SyncReport:
    """Sync one catalog into the store, embedding only texts no shipped or cached vector covers."""
    from mlops_adapt.retrieval.embed import embed
    from mlops_adapt.retrieval.vectors import VectorCache, cached_embedder

    name = f"{catalog.library} {catalog.version}"

    def on_batch(done: int, total: int) -> None:
        progress.update(f"{label}embedding {name}: {done}/{total} new entries")

    cache = VectorCache()
    with progress.step(f"{label}indexing {name}"):
        report = store.sync(
            catalog.library,
            catalog.version,
            catalog.documented(),
            embed=cached_embedder(cache, embed, on_batch=on_batch),
        )
    cache.save()
    return report


def match_installed(library: str) -> str | None:
    """Make the installed version's docs available; None when they are, else why not (a note)."""
    spec = get_library(library)
    installed = _installed_version(spec.dist)
    indexed = available_versions(library)
    if installed is None or installed in indexed or not indexed:
        return None
    from mlops_adapt.retrieval.catalog import _nearest

    nearest = _nearest(installed, list(indexed))
    reason = "it failed before"
    if (library, installed) not in _TRIED:
        _TRIED.add((library, installed))
        progress.say(
            f"mlops-adapt: {library} {installed} is installed but the docs index has {nearest}; "
            f"indexing {installed} once into {paths.user_corpus_dir()}"
        )
        reason = _introspect(library, installed)
        if installed in available_versions(library):
            return None
    return (
        f"{library} {installed} is installed but its docs could not be indexed ({reason}); "
        f"retrieving from {library} {nearest} instead"
    )


def _introspect(library: str, version: str) -> str:
    """Run the introspection in a child process; returns why it failed (or "")."""
    env = {**os.environ, paths.CACHE_ENV: str(paths.cache_dir())}
    with progress.step(f"reading the {library} {version} API"):
        try:
            done = subprocess.run(
                [sys.executable, "-m", "mlops_adapt.retrieval.build", library],
                env=env,
                capture_output=True,
                text=True,
                timeout=INTROSPECT_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"introspection took over {INTROSPECT_TIMEOUT:g} s"
        except OSError as err:
            return f"cannot start the introspection: {err}"
    if done.returncode == 0:
        return ""
    tail = (done.stdout + done.stderr).strip().splitlines()[-1:] or [f"exit {done.returncode}"]
    return tail[0][:200]


def ensure_embedded(store: DocStore, catalog: Catalog) -> bool:
    """Embed a catalog into the store on first use (with a one-line message); True if it did."""
    if store.has(catalog.library, catalog.version):
        return False
    progress.say(
        f"mlops-adapt: indexing {catalog.library} {catalog.version} docs for dense retrieval "
        f"(first use; cached in {paths.cache_dir()})"
    )
    embed_catalog(store, catalog)
    return True

