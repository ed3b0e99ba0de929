"""Runs engine work on a thread pool, off the event loop, with $/progress and cancellation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException

T = TypeVar("T")

# Engine work is CPU-bound Python (libcst, verification) or waits on an LLM endpoint; a small pool
# keeps the event loop free so listing actions and other requests answer while it runs.
ENGINE_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="mlops-adapt-engine")


def supports_progress(ls) -> bool:
    """True when the client accepts server-initiated work-done progress."""
    window = ls.client_capabilities.window if ls.client_capabilities else None
    return bool(window and window.work_done_progress)


async def run_off_loop(ls, work: Callable[[], T], *, title: str, progress: bool) -> T:
    """Run `work` on the engine pool; report progress if asked, and stop waiting when cancelled.

    $/cancelRequest (and a cancelled progress) cancel the awaiting task: the client gets a
    RequestCancelled error at once, and the result of the abandoned work is dropped.
    """
    loop = asyncio.get_running_loop()
    token = await _begin_progress(ls, title) if progress and supports_progress(ls) else None
    if token is not None:
        task = asyncio.current_task()
        ls.work_done_progress.tokens[token].add_done_callback(
            lambda f: f.cancelled() and loop.call_soon_threadsafe(task.cancel)
        )
    message = "cancelled"
    try:
        result = await loop.run_in_executor(ENGINE_POOL, work)
        message = "done"
        return result
    except Exception:
        message = "failed"
        raise
    finally:
        if token is not None:
            ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
            ls.work_done_progress.tokens.pop(token, None)


async def _begin_progress(ls, title: str) -> str | None:
    """Create a progress token with the client and send the begin notification."""
    token = f"mlops-adapt-{uuid.uuid4()}"
    try:
        await ls.work_done_progress.create_async(token)
    except JsonRpcException:  # a client that refuses progress still gets its answer
        return None
    ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True))
    return token
