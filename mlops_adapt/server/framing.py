"""LSP base-protocol framing in front of pygls' reader: bad headers are logged and skipped.

pygls 2.1's read loop (pygls.io_.run_async) only knows the exact line `Content-Length: N\r\n`.
After any other header block it reads the next body as if it were a header line, and from then
on every message is misread: one bad header silences the server for good. This reader reads the
header block itself (names are case-insensitive, whitespace around values is allowed), hands
pygls' loop only canonical headers, and after a block without a usable length skips ahead to the
next `Content-Length` header.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
from collections.abc import Callable

from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async

log = logging.getLogger(__name__)

MAX_CONTENT_LENGTH = 256 * 1024 * 1024  # larger bodies are refused rather than awaited
MAX_HEADER_LINES = 32  # a header block longer than this is garbage, not headers
_NEXT_HEADER = re.compile(rb"content-length[ \t]*:", re.IGNORECASE)


class FramingError(ValueError):
    """A header block that does not say how long its body is."""


def content_length(lines: list[bytes]) -> int:
    """The body length a header block announces; FramingError says what is wrong with it."""
    if len(lines) > MAX_HEADER_LINES:
        raise FramingError(f"more than {MAX_HEADER_LINES} header lines")
    found = None
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon:
            raise FramingError(f"header line without a colon: {_show(line)}")
        if name.strip().lower() != b"content-length":
            continue  # Content-Type and unknown headers are allowed and ignored
        value = value.strip()
        if not value.isdigit() or not value.isascii():
            raise FramingError(f"Content-Length is not a number: {_show(line)}")
        if found is not None:
            raise FramingError("two Content-Length headers")
        found = int(value)
    if found is None:
        raise FramingError("no Content-Length header")
    if found > MAX_CONTENT_LENGTH:
        raise FramingError(f"Content-Length {found} exceeds {MAX_CONTENT_LENGTH} bytes")
    return found


class FramedReader:
    """Wraps an async reader (readline/readexactly) so pygls' loop sees only well-formed frames."""

    def __init__(self, raw, on_bad_frame: Callable[[str], None] | None = None) -> None:
        self.raw = raw
        self.on_bad_frame = on_bad_frame or (lambda message: None)
        self._pending: list[bytes] = []  # canonical header lines still to hand out
        self._carry: bytes | None = None  # a header line found while skipping a bad frame

    async def readline(self) -> bytes:
        if not self._pending:
            length = await self._next_length()
            if length is None:
                return b""  # end of input: pygls' loop stops
            self._pending = [b"Content-Length: %d\r\n" % length, b"\r\n"]
        return self._pending.pop(0)

    def readexactly(self, n: int):
        return self.raw.readexactly(n)

    async def _next_length(self) -> int | None:
        while True:
            lines = await self._header_block()
            if lines is None:
                return None
            try:
                return content_length(lines)
            except FramingError as err:
                message = f"mlops-adapt: malformed LSP message header ({err}); message skipped"
                log.error(message)
                self.on_bad_frame(message)
                if not await self._skip_to_next_header():
                    return None

    async def _header_block(self) -> list[bytes] | None:
        """The header lines up to the blank line (None at end of input)."""
        lines: list[bytes] = []
        while True:
            line, self._carry = (self._carry, None) if self._carry else (await self.raw.readline(), None)
            if not line:
                return None
            if not line.strip():
                if lines:
                    return lines
                continue  # stray blank lines between messages
            lines.append(line)
            if len(lines) > MAX_HEADER_LINES:
                return lines  # content_length() rejects it, and skipping starts from here

    async def _skip_to_next_header(self) -> bool:
        """Drop input up to the next Content-Length header; False at end of input.

        The unreadable body has no line end of its own, so the next message's first header
        usually shares a line with it: the search looks inside lines, not only at their start.
        """
        while True:
            line = await self.raw.readline()
            if not line:
                return False
            match = _NEXT_HEADER.search(line)
            if match:
                self._carry = line[match.start():]
                return True


def serve_stdio(server, on_bad_frame: Callable[[str], None], stdin=None, stdout=None) -> int:
    """pygls' asynchronous stdio server (LanguageServer._start_io_async), reading through
    FramedReader; returns the exit code of the client's `exit` (pygls drops it)."""
    server._stop_event = threading.Event()  # what pygls' shutdown() sets to end the loop
    reader = FramedReader(StdinAsyncReader(stdin or sys.stdin.buffer, server.thread_pool),
                          on_bad_frame)
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    code = 0
    try:
        asyncio.run(run_async(stop_event=server._stop_event, reader=reader,
                              protocol=server.protocol, logger=log,
                              error_handler=server.report_server_error))
    except BrokenPipeError:
        log.error("Connection to the client is lost! Shutting down the server.")
    except KeyboardInterrupt:
        pass
    except SystemExit as stop:  # the client's `exit`: 0 after `shutdown`, else 1
        code = stop.code if isinstance(stop.code, int) else 1
    finally:
        server.shutdown()
    return code


def _show(line: bytes) -> str:
    text = line.strip().decode("utf-8", "replace")
    return repr(text if len(text) <= 80 else text[:77] + "...")
