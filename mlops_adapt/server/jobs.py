"""Runs engine work in worker processes, off the event loop, with $/progress and cancellation."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from lsprotocol import types
from pygls.exceptions import JsonRpcException

T = TypeVar("T")

# Cheap analysis (one ast parse) runs on a thread of its own, so it never queues behind the engine.
ANALYSIS_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlops-adapt-analysis")
ENGINE_WORKERS = 2  # engine runs at once; more wait for a free worker


class EngineStopped(JsonRpcException):
    """The engine's worker process ended without an answer (a crash, or it was killed)."""

    CODE = -32803  # LSP RequestFailed
    MESSAGE = "Request Failed"


class EnginePool:
    """Warm child processes that run engine calls one at a time each.

    Engine work is CPU-bound Python (libcst, verification), sometimes for a long time (a huge or
    pathological file). In a thread it would share the GIL with the protocol loop and could not
    be stopped: a cancelled run kept its thread busy, and interpreter exit waited for it. In a
    process it never slows the loop, a cancelled or abandoned run is ended by ending its process,
    and `exit` ends them all at once.
    """

    def __init__(self, size: int = ENGINE_WORKERS) -> None:
        self.size = size
        self._context = multiprocessing.get_context("spawn")  # forking a threaded server is unsafe
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._slots: asyncio.Semaphore | None = None

    def warm_up(self) -> None:
        """Start one worker now, so the first resolve does not wait for its imports."""
        if not self._idle and len(self._workers) < self.size:
            self._idle.append(self._start())

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker (both picklable); cancelling this ends the worker."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.size)
        async with self._slots:
            worker = self._idle.pop() if self._idle else self._start()
            try:
                # The worker sees the server's environment as of now (LLM settings live there).
                status, value = await worker.call((dict(os.environ), function, args))
            except BaseException:  # cancelled, or the worker died: it is of no further use
                self._stop(worker)
                raise
            if status == "stopped":
                self._stop(worker)
                raise EngineStopped(f"the engine process stopped without an answer ({value})")
            self._idle.append(worker)
        if status == "error":
            raise value
        return value

    def busy(self) -> int:
        """Workers that are running a call right now."""
        return len(self._workers) - len(self._idle)

    def close(self) -> None:
        """End every worker at once, busy or not (the server is exiting)."""
        for worker in list(self._workers):
            self._stop(worker)

    def _start(self) -> _Worker:
        worker = _Worker(self._context)
        self._workers.add(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        if worker in self._idle:
            self._idle.remove(worker)
        worker.kill()


class _Worker:
    """One child process and the pipe to it."""

    def __init__(self, context) -> None:
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=serve_calls, args=(child_end, os.getpid()),
                                       name="mlops-adapt-engine", daemon=True)
        self.process.start()
        child_end.close()
        # Two threads may wait for the process (the call thread on EOF, and kill()). Reaping it
        # from both at once races: the loser's waitpid fails and it reports a dead process as
        # alive. One lock makes the reaping, and the is_alive check, one step.
        self._reaping = threading.Lock()

    def call(self, job: tuple) -> asyncio.Future:
        """Send the job and await the reply, without blocking the loop or holding a pool thread.

        A daemon thread does the blocking send (a big text fills the pipe until the worker
        reads it) and recv (the GIL is free meanwhile). Interpreter exit never waits for it,
        and it ends as soon as the process does.
        """
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def settle(reply) -> None:
            if not future.done():
                future.set_result(reply)

        def exchange() -> None:
            try:
                self.conn.send(job)  # pickles first: a job that cannot be pickled sends nothing
                reply = self.conn.recv()
            except (EOFError, OSError):
                with self._reaping:
                    self.process.join(timeout=1.0)
                    reply = ("stopped", f"exit code {self.process.exitcode}")
            except Exception as err:  # noqa: BLE001 - an unpicklable job or reply
                reply = ("error", RuntimeError(f"cannot exchange data with the engine: {err}"))
            try:
                loop.call_soon_threadsafe(settle, reply)
            except RuntimeError:  # the loop is closed: the server is gone
                pass

        threading.Thread(target=exchange, name="mlops-adapt-engine-call", daemon=True).start()
        return future

    def kill(self) -> None:
        with self._reaping:
            if self.process.is_alive():
                self.process.kill()
            # SIGKILL cannot be ignored; the long timeout only covers a machine under heavy load.
            self.process.join(timeout=30.0)
        self.conn.close()


def serve_calls(conn, parent_pid: int) -> None:
    """The worker process: warm up, then answer (environment, function, args) calls until EOF."""
    # The worker shares the server's stdout, which carries the LSP stream: anything the engine
    # or a library prints goes to stderr (the server's log) instead.
    os.dup2(2, 1)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    _load_engine()
    while True:
        try:
            environment, function, args = conn.recv()
        except (EOFError, OSError):
            return
        os.environ.clear()
        os.environ.update(environment)
        try:
            reply = ("ok", function(*args))
        except Exception as err:  # noqa: BLE001 - every failure goes back to the caller
            reply = ("error", _portable(err))
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            conn.send(("error", RuntimeError(f"the engine's answer cannot be sent back: {err}")))
        except OSError:
            return


def _exit_with_parent(parent_pid: int) -> None:
    """A worker must not outlive a server that died without ending it (kill -9, a crash)."""
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(0)


def _portable(err: Exception) -> Exception:
    """The exception itself when it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:  # noqa: BLE001 - any pickling problem gets the same fallback
        return RuntimeError(f"{type(err).__name__}: {err}")


def _load_engine() -> None:
    """Load libcst, the recipes and the verifier, so the first call is not slow."""
    from mlops_adapt.transforms.base import discover_recipes
    from mlops_adapt.verify import pipeline  # noqa: F401

    discover_recipes()


ENGINE = EnginePool()


def warm_up_engine() -> None:
    """Start a worker (and its imports) once the client is connected; start-up stays light."""
    ENGINE.warm_up()


def supports_progress(ls) -> bool:
    """True when the client accepts server-initiated work-done progress."""
    window = ls.client_capabilities.window if ls.client_capabilities else None
    return bool(window and window.work_done_progress)


async def run_off_loop(ls, function: Callable[..., T], *args: Any, title: str,
                       progress: bool) -> T:
    """Run `function(*args)` in an engine worker; report progress if asked, stop when cancelled.

    $/cancelRequest (and a cancelled progress) cancel the awaiting task: the client gets a
    RequestCancelled error at once, and the worker doing the abandoned work is ended.
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
        result = await ENGINE.run(function, *args)
        message = "done"
        return result
    except Exception:
        message = "failed"
        raise
    finally:
        if token is not None:
            ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
            ls.work_done_progress.tokens.pop(token, None)


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
