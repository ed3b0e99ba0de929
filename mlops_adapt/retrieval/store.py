"""The Chroma store of entry embeddings: embedded PersistentClient or a `chroma run` server."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mlops_adapt.retrieval import paths
from mlops_adapt.retrieval.embed import embedding_text

COLLECTION = "mlops-adapt-api-docs"
CHROMA_ENV = "MLOPS_ADAPT_CHROMA"  # host:port of a Chroma server; unset = embedded store
BATCH = 256


class StoreUnavailable(RuntimeError):
    """chromadb is missing or the server cannot be reached."""


def entry_id(entry: dict[str, Any]) -> str:
    """Content-hash id: the same text for the same library@version is never embedded twice."""
    key = "\x1f".join(
        [entry["library"], entry["version"], entry["qualname"], embedding_text(entry)]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _parse_host_port(value: str) -> tuple[str, int, bool]:
    text = value.strip()
    ssl = text.startswith("https://")
    text = text.split("://", 1)[-1].rstrip("/")
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"expected HOST:PORT for the Chroma server, got {value!r}")
    return host, int(port), ssl


def open_client(server: str | None = None) -> Any:
    """HttpClient when `server` (or $MLOPS_ADAPT_CHROMA) names one, else the embedded store."""
    try:
        import chromadb
        from chromadb.config import Settings
    except ImportError as err:
        raise StoreUnavailable(f"chromadb is not installed ({err})") from None
    settings = Settings(anonymized_telemetry=False)
    server = server or os.environ.get(CHROMA_ENV)
    if server:
        host, port, ssl = _parse_host_port(server)
        try:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
        except Exception as err:  # noqa: BLE001 - connection errors vary by transport
            raise StoreUnavailable(f"cannot reach the Chroma server at {server}: {err}") from None
    folder = paths.chroma_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(folder), settings=settings)


@dataclass
class SyncReport:
    """What a sync did for one library@version."""

    library: str
    version: str
    added: int
    removed: int
    kept: int


def _where(library: str | None, version: str | None) -> dict[str, Any] | None:
    clauses = [{"library": library}] if library else []
    if version:
        clauses.append({"version": version})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class DocStore:
    """One Chroma collection holding every indexed library@version, filtered by metadata."""

    def __init__(self, client: Any) -> None:
        # embedding_function=None: chromadb's default would try to download a model.
        self.collection = client.get_or_create_collection(
            COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def ids(self, library: str, version: str) -> set[str]:
        """Ids stored for a library@version."""
        found = self.collection.get(where=_where(library, version), include=[])
        return set(found["ids"])

    def has(self, library: str, version: str) -> bool:
        """Whether anything is stored for a library@version."""
        found = self.collection.get(where=_where(library, version), limit=1, include=[])
        return bool(found["ids"])

    def sync(
        self,
        library: str,
        version: str,
        entries: list[dict[str, Any]],
        embed: Callable[[list[str]], list[list[float]]],
    ) -> SyncReport:
        """Make the stored set equal `entries`: embed only new ids, delete vanished ones.

        `embed` gets every new text in one call, so it can batch and report progress itself.
        """
        wanted = {entry_id(e): e for e in entries}
        present = self.ids(library, version)
        new_ids = [i for i in wanted if i not in present]
        stale = sorted(present - wanted.keys())
        if stale:
            self.collection.delete(ids=stale)
        vectors = embed([embedding_text(wanted[i]) for i in new_ids]) if new_ids else []
        for start in range(0, len(new_ids), BATCH):
            batch = new_ids[start : start + BATCH]
            self.collection.add(
                ids=batch,
                embeddings=vectors[start : start + BATCH],
                metadatas=[
                    {
                        "library": library,
                        "version": version,
                        "qualname": wanted[i]["qualname"],
                        "kind": wanted[i]["kind"],
                    }
                    for i in batch
                ],
            )
        return SyncReport(library, version, len(new_ids), len(stale), len(wanted) - len(new_ids))

    def query(
        self, vector: list[float], library: str | None, version: str | None, limit: int
    ) -> list[tuple[str, str, str, float]]:
        """(qualname, library, version, cosine similarity) of the nearest entries, best first."""
        result = self.collection.query(
            query_embeddings=[vector],
            n_results=limit,
            where=_where(library, version),
            include=["metadatas", "distances"],
        )
        metadatas = result["metadatas"][0] if result["metadatas"] else []
        distances = result["distances"][0] if result["distances"] else []
        return [
            (m["qualname"], m["library"], m["version"], 1.0 - d)
            for m, d in zip(metadatas, distances, strict=True)
        ]
