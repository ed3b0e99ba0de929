"""File reading with clear errors, and atomic writes that never leave half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class ReadError(Exception):
    """A file that cannot be read as Python source text."""


def read_source(path: str | Path) -> str:
    """Read a UTF-8 Python file, raising ReadError with a clear message otherwise."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(f"{path}: cannot read: {err.strerror or err}") from None
    if b"\x00" in data:
        raise ReadError(f"{path}: binary file, not Python source")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ReadError(f"{path}: not UTF-8 text (byte {err.start}: {err.reason})") from None


def atomic_write(path: str | Path, text: str) -> None:
    """Write text through a temp file in the same folder and rename it over `path`."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
