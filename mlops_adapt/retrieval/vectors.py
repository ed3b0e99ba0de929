"""Embeddings by text: shipped ones for the committed corpus, cached ones for the rest.

Embedding is what makes an index build slow (about 20 texts a second on two busy cores), and a
vector depends only on its text and the model. So the vectors of the committed corpus ship in
`api_docs_index/embeddings/`, and vectors computed on a user's machine (entries of another
installed version) are kept in the user cache; a build embeds only texts seen nowhere before.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from mlops_adapt.retrieval import paths

MODEL_NAME = "all-MiniLM-L6-v2"  # the bundled model; shipped vectors are valid only for it
BUNDLE_FILE = f"{MODEL_NAME}.npz"
_LOCK = threading.Lock()


def text_key(text: str) -> str:
    """The cache key of a text (the vector depends on nothing else for a given model)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def bundle_path() -> Path:
    """The vectors shipped for the committed corpus."""
    return paths.committed_corpus_dir().parent / "embeddings" / BUNDLE_FILE


def user_cache_path() -> Path:
    """Vectors embedded on this machine."""
    return paths.cache_dir() / "embeddings" / BUNDLE_FILE


def custom_model() -> bool:
    """Whether another model is configured ($MLOPS_ADAPT_EMBEDDING_MODEL): then nothing shipped fits."""
    from mlops_adapt.retrieval.embed import MODEL_ENV

    return bool(os.environ.get(MODEL_ENV))


def _read(path: Path) -> dict[str, list[float]]:
    import numpy as np

    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"].astype("float32")
    except (OSError, ValueError, KeyError):
        return {}  # a damaged cache only costs embedding time
    return {str(key): vector.tolist() for key, vector in zip(keys, vectors, strict=True)}


def write_vectors(path: Path, vectors: dict[str, list[float]]) -> None:
    """Write key -> vector atomically, as float16 (cosine ranks do not notice; half the size)."""
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    keys = sorted(vectors)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        np.savez_compressed(
            handle,
            keys=np.array(keys, dtype="U24"),
            vectors=np.array([vectors[k] for k in keys], dtype="float16").reshape(len(keys), -1),
        )
    os.replace(tmp, path)


class VectorCache:
    """Known vectors by text key: the shipped bundle, then this machine's cache."""

    def __init__(self) -> None:
        self.known: dict[str, list[float]] = {}
        self.new: dict[str, list[float]] = {}
        if not custom_model():
            self.known.update(_read(bundle_path()))
            self.known.update(_read(user_cache_path()))

    def missing(self, texts: list[str]) -> list[str]:
        """Texts without a known vector, each once, in order."""
        return list(dict.fromkeys(t for t in texts if text_key(t) not in self.known))

    def add(self, texts: list[str], vectors: list[list[float]]) -> None:
        for text, vector in zip(texts, vectors, strict=True):
            self.known[text_key(text)] = vector
            self.new[text_key(text)] = vector

    def vectors(self, texts: list[str]) -> list[list[float]]:
        return [self.known[text_key(t)] for t in texts]

    def save(self) -> None:
        """Add this run's new vectors to the user cache (never to the shipped bundle)."""
        if not self.new or custom_model():
            return
        with _LOCK:
            merged = _read(user_cache_path())
            merged.update(self.new)
            write_vectors(user_cache_path(), merged)
        self.new = {}


def cached_embedder(
    cache: VectorCache,
    embed: Callable[[list[str]], list[list[float]]],
    batch: int = 64,
    on_batch: Callable[[int, int], None] | None = None,
) -> Callable[[list[str]], list[list[float]]]:
    """An embed function that computes only unknown texts, in batches, reporting (done, total)."""

    def embed_cached(texts: list[str]) -> list[list[float]]:
        todo = cache.missing(texts)
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            cache.add(chunk, embed(chunk))
            if on_batch is not None:
                on_batch(start + len(chunk), len(todo))
        return cache.vectors(texts)

    return embed_cached


def write_bundle() -> tuple[int, int]:
    """Refresh the shipped vectors for every committed corpus file: (texts, newly embedded).

    Vectors of texts still present are kept, so a corpus refresh embeds only what changed.
    """
    from mlops_adapt.retrieval.catalog import load_catalog
    from mlops_adapt.retrieval.corpus import list_corpus_files
    from mlops_adapt.retrieval.embed import embed, embedding_text

    if custom_model():
        raise RuntimeError("the shipped vectors are for the bundled model; unset the override")
    texts = []
    for library, version, _ in list_corpus_files(paths.committed_corpus_dir()):
        texts += [embedding_text(e) for e in load_catalog(library, version).documented()]
    shipped = _read(bundle_path())
    cache = VectorCache()
    cache.known = dict(shipped)
    vectors = cached_embedder(cache, embed)(texts)
    write_vectors(bundle_path(), {text_key(t): v for t, v in zip(texts, vectors, strict=True)})
    return len(set(texts)), len(cache.new)
