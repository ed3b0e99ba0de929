"""A one-line status on stderr for slow steps, redrawn in place; silent unless stderr is a terminal.

The command-line entry point turns it on (`enable_on_terminal`); library use, the language
server and pipes stay silent. Only the process that turned it on draws, so forked workers
cannot fight over the line. While a step runs, a ticker redraws it with the seconds elapsed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator

TICK = 1.0  # seconds between redraws of a running step
_LOCK = threading.RLock()
_owner: int | None = None  # pid of the process allowed to draw
_stack: list[tuple[str, float]] = []  # running steps, innermost last: (text, started)
_drawn = False
_ticker: threading.Thread | None = None


def enable_on_terminal(stream=None) -> bool:
    """Turn the status line on for this process if stderr (or `stream`) is a terminal."""
    global _owner
    stream = stream or sys.stderr
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if terminal and os.environ.get("TERM") != "dumb":
        _owner = os.getpid()
    return terminal


def active() -> bool:
    """Whether this process draws a status line."""
    return _owner is not None and _owner == os.getpid()


def _width() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns or 80
    except (OSError, ValueError):
        return 80


def _draw() -> None:
    global _drawn
    if not _stack:
        return
    text, started = _stack[-1]
    line = f"{text} ({time.monotonic() - started:.0f} s)"
    width = _width()
    if len(line) >= width:
        line = line[: max(width - 2, 0)] + "…"
    try:
        sys.stderr.write("\r\033[K" + line)
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    _drawn = True


def clear() -> None:
    """Erase the status line (before other output goes to stderr)."""
    global _drawn
    with _LOCK:
        if _drawn and active():
            try:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()
            except (OSError, ValueError):
                pass
        _drawn = False


def _tick() -> None:
    while True:
        time.sleep(TICK)
        with _LOCK:
            if not _stack:
                return
            _draw()


@contextlib.contextmanager
def step(text: str) -> Iterator[None]:
    """Show `text` while the block runs; an inner step replaces it until the inner one ends."""
    global _ticker
    if not active():
        yield
        return
    with _LOCK:
        _stack.append((text, time.monotonic()))
        _draw()
        if _ticker is None or not _ticker.is_alive():
            _ticker = threading.Thread(target=_tick, name="mlops-adapt-progress", daemon=True)
            _ticker.start()
    try:
        yield
    finally:
        with _LOCK:
            _stack.pop()
            clear()
            _draw()


def update(text: str) -> None:
    """Change the innermost running step's text (a counter: `embedding 128/635`), keeping its clock."""
    if not active():
        return
    with _LOCK:
        if _stack:
            _stack[-1] = (text, _stack[-1][1])
            _draw()


def say(line: str) -> None:
    """Print a whole line on stderr, always (terminal or not), without breaking the status line."""
    with _LOCK:
        clear()
        print(line, file=sys.stderr, flush=True)
        if active():
            _draw()
