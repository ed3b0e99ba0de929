"""The engine's worker processes: answers, errors, crashes, cancellation, and a clean stdout."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import pytest

from mlops_adapt.server.jobs import EnginePool, EngineStopped


def run(coroutine_factory):
    pool = EnginePool(size=1)

    async def main():
        try:
            return await coroutine_factory(pool)
        finally:
            pool.close()

    return asyncio.run(main())


def test_a_call_answers_and_the_worker_is_reused():
    async def two_calls(pool):
        first = await pool.run(os.getpid)
        second = await pool.run(os.getpid)
        return first, second

    first, second = run(two_calls)
    assert first == second != os.getpid()  # one worker, not this process


def test_an_exception_comes_back_and_the_worker_lives_on():
    async def failing(pool):
        with pytest.raises(ZeroDivisionError):
            await pool.run(divmod, 1, 0)
        return await pool.run(divmod, 7, 2)

    assert run(failing) == (3, 1)


def test_a_crashed_worker_is_a_clear_error_and_the_next_call_gets_a_new_one():
    async def crash(pool):
        with pytest.raises(EngineStopped, match="exit code 3"):
            await pool.run(os._exit, 3)
        return await pool.run(divmod, 9, 4)

    assert run(crash) == (2, 1)


def test_cancelling_a_call_ends_its_worker_at_once():
    async def cancel(pool):
        task = asyncio.ensure_future(pool.run(time.sleep, 120))
        await asyncio.sleep(3.0)  # the worker is started and sleeping
        (worker,) = pool._workers
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not worker.process.is_alive() and pool.busy() == 0
        return await pool.run(divmod, 5, 5)

    assert run(cancel) == (1, 0)


def test_what_the_engine_prints_never_reaches_the_servers_stdout():
    """stdout carries the LSP stream: a print in the engine would corrupt it."""
    code = (
        "import asyncio\n"
        "from mlops_adapt.server.jobs import EnginePool\n"
        "pool = EnginePool(size=1)\n"
        "async def main():\n"
        "    await pool.run(print, 'PRINTED-BY-THE-ENGINE')\n"
        "    pool.close()\n"
        "asyncio.run(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "PRINTED-BY-THE-ENGINE" not in done.stdout
    assert "PRINTED-BY-THE-ENGINE" in done.stderr
