"""User files in and out: bounded reads with clear errors, writes that keep a file what it was."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

# Training scripts are kilobytes; past this it is not one, and libcst would take minutes on it.
MAX_SOURCE_BYTES = 5 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"


class ReadError(Exception):
    """A file that cannot be read as Python source text."""


class WriteError(OSError):
    """A file that must not or cannot be written; the message says why."""


@dataclass(frozen=True)
class SourceFile:
    """A Python file as read: the text the engine works on, and how to write new text back alike.

    `text` has no BOM, and its line ends are "\\n" whenever the file used one kind throughout
    (CRLF and CR-only files included): the engine then never sees, or has to reproduce, the file's
    own convention. A file that mixes line ends keeps them as they are in `text`.
    """

    path: str
    raw: bytes
    text: str
    bom: bool
    newline: str  # what each "\n" of `text` is in the file: "\n", "\r\n" or "\r"

    @property
    def raw_text(self) -> str:
        """The file's exact content as text (BOM and line ends included), for diffs."""
        return self.raw.decode("utf-8")

    def encode(self, text: str) -> bytes:
        """Engine output as bytes with this file's BOM and line ends."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return (UTF8_BOM if self.bom else b"") + text.encode("utf-8")


def load_source(path: str | Path) -> SourceFile:
    """Read a UTF-8 Python file for adaptation, raising ReadError with a clear message otherwise."""
    data = read_bytes(path)
    if b"\x00" in data:
        raise ReadError(f"{path}: binary file, not Python source")
    try:
        raw_text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ReadError(f"{path}: not UTF-8 text (byte {err.start}: {err.reason})") from None
    bom = raw_text.startswith("\ufeff")
    text = raw_text[1:] if bom else raw_text
    newline = uniform_newline(text)
    if newline != "\n":
        text = text.replace(newline, "\n")
    return SourceFile(str(path), data, text, bom, newline)


def read_source(path: str | Path) -> str:
    """Read a UTF-8 Python file as it is (BOM and line ends kept), raising ReadError otherwise."""
    return load_source(path).raw_text


def uniform_newline(text: str) -> str:
    """The file's one kind of line end; "\\n" when it has none or mixes kinds (nothing changes)."""
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    kinds = [kind for kind, count in (("\r\n", crlf), ("\r", lone_cr), ("\n", lone_lf)) if count]
    return kinds[0] if len(kinds) == 1 else "\n"


def read_bytes(path: str | Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` of them; FIFOs, devices and folders are refused."""
    try:
        _require_regular(path, os.stat(path), limit)
        # O_NONBLOCK: should a FIFO have replaced the file since the stat, opening it cannot hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise ReadError(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        _require_regular(path, os.fstat(fd), limit)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise ReadError(f"{path}: cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ReadError(_too_large(path, size, limit))
    return b"".join(chunks)


def _require_regular(path: str | Path, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(f"{path}: not a regular file ({_file_kind(info.st_mode)}); not read")
    if info.st_size > limit:
        raise ReadError(_too_large(path, info.st_size, limit))


def _too_large(path: str | Path, size: int, limit: int) -> str:
    return (
        f"{path}: too large for a training script ({size / 1e6:.1f} MB; "
        f"the limit is {limit / 1e6:.0f} MB)"
    )


def _file_kind(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a plain file")


# ---------------------------------------------------------------- writing
def atomic_write(path: str | Path, text: str) -> None:
    """Write UTF-8 text to `path` (new or existing) without ever leaving half a file."""
    write_file(path, text.encode("utf-8"))


def write_file(path: str | Path, data: bytes, expected: bytes | None = None) -> None:
    """Replace a file's content with `data`, keeping what makes it that file.

    - A symlink is written through to its target, and stays a link.
    - Mode and owner are kept; a read-only file (no write bit, or not writable by us) is refused.
    - A file with one name is replaced atomically: temp file in its folder, fsync, rename.
    - A file with several hard links is rewritten in place, since a rename would leave the other
      names on the old content. See _rewrite_in_place for how that stays safe.
    - `expected`: the content the caller started from; the file is left alone if it changed since.
    Raises WriteError with a message naming the problem.
    """
    target = Path(os.path.realpath(path))  # through every symlink, so the link itself survives
    info = _existing(path, target)
    if expected is not None:
        try:
            current = read_bytes(target, limit=max(len(expected), MAX_SOURCE_BYTES))
        except ReadError as err:
            raise WriteError(str(err)) from None
        if current != expected:
            raise WriteError(f"{path}: not written: the file changed while it was being adapted")
    if info is not None and info.st_nlink > 1:
        _rewrite_in_place(path, target, data)
        return
    try:
        _replace(target, data, info)
    except _KeepInode:
        _rewrite_in_place(path, target, data)
    except OSError as err:
        raise WriteError(f"{path}: not written: {err.strerror or err}") from None


def _existing(path: str | Path, target: Path) -> os.stat_result | None:
    """The target's stat when it exists (after checking it may be written), else None."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise WriteError(
                f"{path}: not written: folder {target.parent} does not exist"
            ) from None
        return None
    except OSError as err:
        raise WriteError(f"{path}: not written: {err.strerror or err}") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"{path}: not written: {_file_kind(info.st_mode)}, not a file")
    # The mode bits, not only access(): root may write anything, but a 0444 file says "leave me".
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise WriteError(
            f"{path}: not written: the file is read-only (make it writable to allow edits)"
        )
    return info


class _KeepInode(Exception):
    """The rename route would lose the file's owner, or cannot create a temp file beside it."""


def _replace(target: Path, data: bytes, info: os.stat_result | None) -> None:
    """Temp file in the target's folder, mode and owner copied, fsync, then an atomic rename."""
    try:
        fd, tmp = _create_beside(target, ".tmp")
    except PermissionError:
        if info is None:
            raise
        raise _KeepInode from None  # folder not writable but file writable: only in place works
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            mine = os.stat(tmp)
            if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
                try:
                    os.chown(tmp, info.st_uid, info.st_gid)
                except PermissionError:
                    raise _KeepInode from None
            os.chmod(tmp, stat.S_IMODE(info.st_mode))  # after chown, which clears setuid bits
        os.replace(tmp, target)
    except BaseException:
        _drop(tmp)
        raise
    _fsync_folder(target.parent)


def _rewrite_in_place(path: str | Path, target: Path, data: bytes) -> None:
    """Overwrite the file's own inode, so hard links, owner, ACLs and xattrs all stay.

    An in-place write is not atomic, so it is made safe three ways: a backup of the old content
    is written and fsynced beside the file first, and deleted only once the new content is on disk
    (a crash in between leaves the backup); space for the new content is reserved before any byte
    changes (a full disk fails early); an error while writing puts the old content back.
    """
    try:
        old = read_bytes(target, limit=1 << 62)
    except ReadError as err:
        raise WriteError(str(err)) from None
    backup = _write_backup(path, target, old)
    try:
        fd = os.open(target, os.O_RDWR)
    except OSError as err:
        _drop(backup)
        raise WriteError(f"{path}: not written: {err.strerror or err}") from None
    try:
        if hasattr(os, "posix_fallocate") and len(data) > len(old):
            try:
                os.posix_fallocate(fd, 0, len(data))
            except OSError as err:
                if err.errno == errno.ENOSPC:
                    _drop(backup)
                    raise WriteError(f"{path}: not written: {err.strerror}") from None
                # other errors: the file system cannot reserve space; write without it
        try:
            _overwrite(fd, data)
        except OSError as err:
            try:
                _overwrite(fd, old)
            except OSError:
                kept = f"; its old content is in {backup}" if backup else ""
                raise WriteError(f"{path}: writing failed ({err.strerror or err}){kept}") from None
            _drop(backup)
            raise WriteError(f"{path}: not written: {err.strerror or err}") from None
    finally:
        os.close(fd)
    _drop(backup)


def _overwrite(fd: int, data: bytes) -> None:
    view, offset = memoryview(data), 0
    while offset < len(data):
        offset += os.pwrite(fd, view[offset:], offset)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def _write_backup(path: str | Path, target: Path, data: bytes) -> str | None:
    """A fsynced copy of the old content beside the file; None when the folder is read-only."""
    try:
        fd, name = _create_beside(target, ".mlops-adapt-backup")
    except OSError:
        return None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        _drop(name)
        raise WriteError(f"{path}: not written: cannot back it up: {err.strerror or err}") from None
    return name


def _create_beside(target: Path, suffix: str) -> tuple[int, str]:
    """A new hidden file next to `target`; created with 0o666 so the umask decides its mode."""
    for _ in range(100):
        name = str(target.parent / f".{target.name}.{secrets.token_hex(4)}{suffix}")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp name beside {target}")


def _drop(path: str | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; some platforms cannot open folders, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
