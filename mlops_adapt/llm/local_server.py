"""Start a local OpenAI-compatible model server (llama-cpp-python) on loopback and wait until it serves.

    python -m mlops_adapt.llm.local_server [--model GGUF] [--python VENV_PYTHON] [--port 8765]
        [--n-ctx 8192] [--threads 2]

runs it in the foreground until Ctrl-C. `LocalServer` does the same from Python (the real-model
bench starts one per run). The server runs in its own venv (bench/llm/setup_local_model.sh),
never in the tool's: llama-cpp-python is a large native build the tool itself does not need.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mlops-adapt"
DEFAULT_PYTHON = CACHE / "llm-venv" / "bin" / "python"
DEFAULT_MODEL = CACHE / "models" / "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
DEFAULT_ALIAS = "qwen2.5-coder-1.5b-instruct"
SETUP_HINT = "run bench/llm/setup_local_model.sh first"


class LocalServerError(RuntimeError):
    """The server could not be started, or did not become ready; the message says why."""


@dataclass
class LocalServer:
    """A llama_cpp.server child process bound to 127.0.0.1; a context manager."""

    model: Path = DEFAULT_MODEL
    python: Path = DEFAULT_PYTHON
    port: int = 0  # 0: a free port is picked
    n_ctx: int = 8192
    threads: int = 2
    alias: str = DEFAULT_ALIAS
    log_path: Path | None = None  # the server's stdout and stderr; None: discarded
    niceness: int | None = None  # the server's absolute nice value; None: inherited
    extra_args: list[str] = field(default_factory=list)
    _process: subprocess.Popen | None = field(default=None, init=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def command(self) -> list[str]:
        """The server's command line (chatml: the chat template of the Qwen2.5 instruct models)."""
        return [
            str(self.python), "-m", "llama_cpp.server",
            "--model", str(self.model),
            "--model_alias", self.alias,
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.threads),
            "--n_threads_batch", str(self.threads),
            "--chat_format", "chatml",
            *self.extra_args,
        ]  # fmt: skip

    def start(self, ready_timeout: float = 300.0) -> LocalServer:
        """Spawn the server and block until GET /v1/models answers; LocalServerError otherwise."""
        if not Path(self.python).is_file():
            raise LocalServerError(f"no server venv at {self.python}: {SETUP_HINT}")
        if not Path(self.model).is_file():
            raise LocalServerError(f"no model at {self.model}: {SETUP_HINT}")
        if self.port == 0:
            self.port = free_port()
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            # Its own session, so that stop() can end the server and anything it spawned.
            self._process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if log is not subprocess.DEVNULL:
                log.close()
        if self.niceness is not None:
            # Raising priority needs root; without it the inherited value stays (only slower).
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self._process.pid, self.niceness)
        try:
            wait_ready(self.base_url, ready_timeout, self._process)
        except LocalServerError:
            self.stop()
            raise
        return self

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the server's process group, SIGKILL after `grace` seconds."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass

    def __enter__(self) -> LocalServer:  # noqa: PYI034 - Python 3.10 has no typing.Self
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def served_models(base_url: str, timeout: float = 5.0) -> list[str]:
    """The model ids GET {base_url}/models lists; OSError/ValueError when it does not answer."""
    with urllib.request.urlopen(f"{base_url.rstrip('/')}/models", timeout=timeout) as resp:
        return [m["id"] for m in json.load(resp).get("data", [])]


def wait_ready(base_url: str, timeout: float, process: subprocess.Popen | None = None) -> list[str]:
    """Poll /models until it answers; fail early when the server process has exited."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise LocalServerError(
                f"the model server exited with code {process.returncode} before it was ready "
                "(see its log)"
            )
        try:
            return served_models(base_url)
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise LocalServerError(f"the model server at {base_url} was not ready within {timeout:g} s")
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--python", type=Path, default=DEFAULT_PYTHON, help="the server venv's python")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--n-ctx", type=int, default=8192)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    server = LocalServer(args.model, args.python, args.port, args.n_ctx, args.threads)
    try:
        server.start()
    except LocalServerError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"serving {server.alias} at {server.base_url}  (export MLOPS_ADAPT_LLM_BASE_URL={server.base_url})")
    try:
        assert server._process is not None
        server._process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
