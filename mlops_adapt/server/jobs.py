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
# Cheap analysis (one ast parse) gets its own worker, so it never queues behind a long engine run.
ANALYSIS_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlops-adapt-analysis")
_running = 0  # engine runs in flight, including abandoned (cancelled) ones


def engine_busy() -> bool:
    """True while some engine run is still working (then exiting should not wait for it)."""
    return _running > 0


def _counted(work: Callable[[], T]) -> T:
    global _running
    _running += 1  # only the pool threads touch it, under the GIL; a rough count is enough
    try:
        return work()
    finally:
        _running -= 1


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
    task = asyncio.current_task()

    def cancel_task_if(future) -> None:
        if future.cancelled():
            loop.call_soon_threadsafe(task.cancel)

    request = current_request(ls)
    if request is not None and request is not task:
        request.add_done_callback(cancel_task_if)
    token = await _begin_progress(ls, title) if progress and supports_progress(ls) else None
    if token is not None:
        ls.work_done_progress.tokens[token].add_done_callback(cancel_task_if)
    message = "cancelled"
    try:
        result = await loop.run_in_executor(ENGINE_POOL, _counted, work)
        message = "done"
        return result
    except Exception:
        message = "failed"
        raise
    finally:
        if token is not None:
            ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
            ls.work_done_progress.tokens.pop(token, None)


def warm_up_engine() -> None:
    """Load libcst, the recipes and the verifier on the pool, so the first resolve is not slow."""

    def load() -> None:
        from mlops_adapt.transforms.base import discover_recipes
        from mlops_adapt.verify import pipeline  # noqa: F401

        discover_recipes()

    ENGINE_POOL.submit(_counted, load)


def current_request(ls):
    """The future pygls answers the current request from; cancelling it means $/cancelRequest came.

    Command handlers run in a task of their own under that future, so the link is made here.
    """
    protocol = ls.protocol
    msg_id = getattr(protocol, "_ctx_msg_id", None)
    futures = getattr(protocol, "_request_futures", {})
    return futures.get(msg_id.get(None)) if msg_id is not None else None


def raise_if_cancelled(ls) -> None:
    """Stop before a side effect (like asking the client to apply an edit) if the request was cancelled."""
    request = current_request(ls)
    if request is not None and request.cancelled():
        raise asyncio.CancelledError


async def _begin_progress(ls, title: str) -> str | None:
    """Create a progress token with the client and send the begin notification."""
    token = f"mlops-adapt-{uuid.uuid4()}"
    try:
        await ls.work_done_progress.create_async(token)
    except JsonRpcException:  # a client that refuses progress still gets its answer
        return None
    ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, cancellable=True))
    return token
