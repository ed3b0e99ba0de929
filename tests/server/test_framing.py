"""The header reader in front of pygls' loop, fed from memory: what it hands on and what it skips."""

from __future__ import annotations

import asyncio
import io

import pytest

from mlops_adapt.server.framing import FramedReader, FramingError, content_length


class BytesReader:
    """An async reader over fixed bytes, with the readline/readexactly pair pygls uses."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    async def readline(self) -> bytes:
        return self.stream.readline()

    async def readexactly(self, n: int) -> bytes:
        return self.stream.read(n)


async def frames(data: bytes) -> tuple[list[bytes], list[str]]:
    """Bodies pygls' loop would read, and the complaints logged on the way."""
    complaints: list[str] = []
    reader = FramedReader(BytesReader(data), complaints.append)
    bodies = []
    while True:
        header = await reader.readline()
        if not header:
            return bodies, complaints
        length = int(header.split(b":")[1])
        assert await reader.readline() == b"\r\n"
        bodies.append(await reader.readexactly(length))


def test_bad_frames_are_skipped_even_when_their_bodies_span_lines():
    pretty = b'{\n  "jsonrpc": "2.0",\n  "method": "x"\n}'
    data = (b"Content-Length: abc\r\n\r\n" + pretty
            + b"Content-Length: 2\r\n\r\n{}"
            + b"\r\n\r\nCONTENT-LENGTH :  4 \r\nContent-Type: x\r\n\r\n[1,]")
    bodies, complaints = asyncio.run(frames(data))
    assert bodies == [b"{}", b"[1,]"]
    assert len(complaints) == 1 and "not a number" in complaints[0]


def test_end_of_input_inside_a_bad_frame_ends_cleanly():
    complaint = ("mlops-adapt: malformed LSP message header (Content-Length is not a number: "
                 "'Content-Length: x'); message skipped")
    assert asyncio.run(frames(b"Content-Length: x\r\n\r\n{\"half")) == ([], [complaint])


@pytest.mark.parametrize("lines, reason", [
    ([b"Content-Length: 1\r\n", b"Content-Length: 2\r\n"], "two Content-Length"),
    ([b"Content-Length: \xd9\xa3\r\n"], "not a number"),  # an Arabic-Indic digit
    ([b"X: y\r\n"] * 40, "header lines"),
])
def test_content_length_rejects(lines, reason):
    with pytest.raises(FramingError, match=reason):
        content_length(lines)
