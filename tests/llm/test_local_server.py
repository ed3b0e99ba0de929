"""LocalServer: spawns the server module on loopback, waits for /v1/models, reports early exits, stops it."""

from __future__ import annotations

import json
import os
import sys
import textwrap
import urllib.request

import pytest

from mlops_adapt.llm.local_server import LocalServer, LocalServerError, served_models

# A stand-in `llama_cpp.server` package: a real HTTP server on the port it is given, listing the
# alias as its model, or exiting at once when the model file says so.
FAKE_SERVER = textwrap.dedent(
    """
    import argparse, json, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer
    p = argparse.ArgumentParser()
    for name in ("--model", "--model_alias", "--host", "--port", "--n_ctx", "--n_threads",
                 "--n_threads_batch", "--chat_format"):
        p.add_argument(name)
    a = p.parse_args()
    if open(a.model).read().startswith("broken"):
        sys.exit(7)
    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"data": [{"id": a.model_alias, "n_ctx": a.n_ctx}]}).encode()
            self.send_response(200); self.send_header("content-length", str(len(body)))
            self.end_headers(); self.wfile.write(body)
        def log_message(self, *x): pass
    HTTPServer((a.host, int(a.port)), H).serve_forever()
    """
)


@pytest.fixture
def fake_llama(tmp_path, monkeypatch):
    package = tmp_path / "site" / "llama_cpp" / "server"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(FAKE_SERVER)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    model = tmp_path / "model.gguf"
    model.write_text("GGUF fake weights")
    return model


def test_start_waits_until_models_are_served_and_stop_ends_the_process(fake_llama, tmp_path):
    server = LocalServer(fake_llama, python=sys.executable, alias="coder", log_path=tmp_path / "log")
    with server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert served_models(server.base_url) == ["coder"]
        process = server._process
        assert process is not None and process.poll() is None
    assert process.poll() is not None  # stopped on leaving the block
    with pytest.raises(OSError):
        urllib.request.urlopen(server.base_url + "/models", timeout=2)


def test_the_command_line_carries_loopback_context_and_threads(fake_llama):
    server = LocalServer(fake_llama, python=sys.executable, port=9999, n_ctx=4096, threads=1)
    args = server.command()
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert args[args.index("--n_ctx") + 1] == "4096"
    assert args[args.index("--n_threads") + 1] == "1"
    with server:
        data = json.load(urllib.request.urlopen(server.base_url + "/models", timeout=5))
        assert data["data"][0]["n_ctx"] == "4096"


def test_a_server_that_exits_before_ready_is_reported_with_its_exit_code(fake_llama):
    fake_llama.write_text("broken")
    with pytest.raises(LocalServerError, match="exited with code 7"):
        LocalServer(fake_llama, python=sys.executable).start(ready_timeout=30)


def test_missing_model_or_venv_say_how_to_install(tmp_path):
    with pytest.raises(LocalServerError, match="no model at .*setup_local_model.sh"):
        LocalServer(tmp_path / "none.gguf", python=sys.executable).start()
    with pytest.raises(LocalServerError, match="no server venv at .*setup_local_model.sh"):
        LocalServer(tmp_path / "none.gguf", python=tmp_path / "bin" / "python").start()
