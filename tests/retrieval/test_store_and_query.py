"""Real chromadb + the bundled MiniLM model: build, incremental sync, hybrid query, HttpClient."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mlops_adapt.retrieval.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]
CHROMA = Path(sys.executable).with_name("chroma")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dvc_index(tmp_path_factory):
    """The dvc slice (about 100 entries) embedded into a fresh embedded Chroma store."""
    from mlops_adapt.retrieval.query import build_index

    cache = tmp_path_factory.mktemp("index-cache")
    previous = os.environ.get("MLOPS_ADAPT_CACHE_DIR")
    os.environ["MLOPS_ADAPT_CACHE_DIR"] = str(cache)
    try:
        first = build_index(["dvc"], from_installed=False)
        second = build_index(["dvc"], from_installed=False)
    finally:
        if previous is None:
            os.environ.pop("MLOPS_ADAPT_CACHE_DIR", None)
        else:
            os.environ["MLOPS_ADAPT_CACHE_DIR"] = previous
    return cache, first[0], second[0]


def test_build_embeds_once_and_unchanged_entries_are_not_embedded_again(dvc_index):
    cache, first, second = dvc_index
    assert first["added"] == len(load_catalog("dvc").documented()) > 50
    assert (second["added"], second["removed"], second["kept"]) == (0, 0, first["added"])
    assert (cache / "chroma").is_dir()


def test_changed_entry_is_re_embedded_alone(dvc_index, monkeypatch):
    from mlops_adapt.retrieval.embed import embed
    from mlops_adapt.retrieval.store import DocStore, open_client

    cache, _, _ = dvc_index
    monkeypatch.setenv("MLOPS_ADAPT_CACHE_DIR", str(cache))
    catalog = load_catalog("dvc")
    entries = [dict(e) for e in catalog.documented()]
    entries[0]["summary"] = entries[0].get("summary", "") + " (edited)"
    embedded: list[str] = []

    def counting_embed(texts):
        embedded.extend(texts)
        return embed(texts)

    store = DocStore(open_client())
    report = store.sync("dvc", catalog.version, entries, counting_embed)
    assert (report.added, report.removed) == (1, 1)
    assert len(embedded) == 1 and "(edited)" in embedded[0]
    restored = store.sync("dvc", catalog.version, catalog.documented(), counting_embed)
    assert (restored.added, restored.removed) == (1, 1)


def test_hybrid_query_finds_the_api_and_filters_by_version(dvc_index, monkeypatch):
    from mlops_adapt.retrieval.embed import embed
    from mlops_adapt.retrieval.query import retrieve, retrieve_detailed
    from mlops_adapt.retrieval.store import DocStore, open_client

    cache, _, _ = dvc_index
    monkeypatch.setenv("MLOPS_ADAPT_CACHE_DIR", str(cache))
    result = retrieve_detailed("read a data file as it was at an older git revision", "dvc", 5)
    assert result.mode == "hybrid" and result.note is None
    names = [hit.qualname for hit in result.hits]
    assert "dvc.api.read" in names
    hit = next(h for h in result.hits if h.qualname == "dvc.api.read")
    assert hit.library == "dvc" and hit.kind == "function" and "rev" in hit.signature
    assert "dvc.api.read(path" in hit.render()
    code_hits = retrieve("Repo(root).add(str(path))", "dvc", 3)
    assert code_hits[0].qualname == "dvc.repo.Repo.add"
    store = DocStore(open_client())
    vector = embed(["read a file"])[0]
    assert store.query(vector, "dvc", load_catalog("dvc").version, 3)
    assert store.query(vector, "dvc", "0.0.1", 3) == []
    assert store.query(vector, "mlflow", None, 3) == []


def test_dense_only_mode_uses_the_store(dvc_index, monkeypatch):
    from mlops_adapt.retrieval.query import retrieve_detailed

    cache, _, _ = dvc_index
    monkeypatch.setenv("MLOPS_ADAPT_CACHE_DIR", str(cache))
    result = retrieve_detailed("upload tracked data to remote storage", "dvc", 5, mode="dense")
    assert result.mode == "dense"
    assert "dvc.repo.Repo.push" in [h.qualname for h in result.hits]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def chroma_server(tmp_path):
    """A real `chroma run` server on loopback, stopped after the test."""
    port = _free_port()
    log = (tmp_path / "chroma.log").open("w")
    server = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--path",
            str(tmp_path / "server-data"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"chroma server did not start: {(tmp_path / 'chroma.log').read_text()}")
            time.sleep(0.3)
    yield f"127.0.0.1:{port}"
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def test_http_client_against_a_chroma_server(chroma_server, tmp_path, monkeypatch):
    from mlops_adapt.retrieval.query import build_index, retrieve_detailed

    monkeypatch.setenv("MLOPS_ADAPT_CACHE_DIR", str(tmp_path / "cache"))
    report = build_index(["dvc"], server=chroma_server, from_installed=False)[0]
    assert report["added"] > 50
    again = build_index(["dvc"], server=chroma_server, from_installed=False)[0]
    assert again["added"] == 0
    result = retrieve_detailed("initialize dvc in a git repository", "dvc", 5, server=chroma_server)
    assert result.mode == "hybrid", result.note
    assert "dvc.repo.Repo.init" in [h.qualname for h in result.hits]
    # Nothing went to the embedded store: the server holds the vectors.
    assert not (tmp_path / "cache" / "chroma").exists()


def test_cli_query_json_after_build(dvc_index):
    cache, _, _ = dvc_index
    env = {**os.environ, "MLOPS_ADAPT_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_adapt.retrieval.cli",
            "index",
            "query",
            "open a tracked file at a revision",
            "--lib",
            "dvc",
            "-k",
            "4",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[\n"), done.stdout[:300] + done.stderr[-2000:]
    hits = json.loads(done.stdout)
    assert len(hits) == 4
    for hit in hits:
        assert {
            "qualname",
            "library",
            "version",
            "kind",
            "signature",
            "summary",
            "score",
        } <= hit.keys()
    assert hits[0]["score"] >= hits[-1]["score"]
    assert "dvc.api.open" in [h["qualname"] for h in hits]
    assert "lexical retrieval only" not in done.stderr
