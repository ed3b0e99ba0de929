"""Read and write corpus files: one JSONL per library@version, plus the usage notes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mlops_adapt.fsio import atomic_write

_FILE = re.compile(r"^(?P<library>[\w.-]+)@(?P<version>[^/@]+)\.jsonl$")


def corpus_filename(library: str, version: str) -> str:
    """`mlflow@3.17.2.jsonl`."""
    return f"{library}@{version}.jsonl"


def list_corpus_files(folder: Path) -> list[tuple[str, str, Path]]:
    """(library, version, path) for every corpus file in a folder."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = _FILE.match(path.name)
        if match:
            found.append((match["library"], match["version"], path))
    return found


def write_corpus(folder: Path, library: str, version: str, entries: list[dict[str, Any]]) -> Path:
    """Write one library's entries atomically; returns the file path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / corpus_filename(library, version)
    lines = [json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in entries]
    atomic_write(path, "\n".join(lines) + "\n")
    path.chmod(0o644)  # corpus files are shared data, not private temp files
    return path


def read_corpus(path: Path) -> list[dict[str, Any]]:
    """Entries of one corpus file; a corrupt line raises ValueError naming file and line."""
    entries = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{number}: corrupt corpus line: {err.msg}") from None
    return entries


def read_notes(path: Path) -> dict[str, list[dict[str, Any]]]:
    """`notes.toml` as {"note": [...], "doc": [...]} (empty lists when the file is absent)."""
    if not path.is_file():
        return {"note": [], "doc": []}
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {"note": list(data.get("note", [])), "doc": list(data.get("doc", []))}
