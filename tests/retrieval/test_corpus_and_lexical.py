"""The committed corpus, version selection, notes, and the identifier-aware lexical ranker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from mlops_adapt.retrieval import paths
from mlops_adapt.retrieval.catalog import load_catalog_checked, select_version, version_key
from mlops_adapt.retrieval.corpus import list_corpus_files, read_corpus
from mlops_adapt.retrieval.lexical import BM25, code_symbols, tokenize
from mlops_adapt.retrieval.libraries import LIBRARIES

ROOT = Path(__file__).resolve().parents[2]


def test_committed_corpus_has_one_file_per_library_and_is_modest():
    files = list_corpus_files(paths.committed_corpus_dir())
    assert sorted(name for name, _, _ in files) == sorted(LIBRARIES)
    assert sum(path.stat().st_size for _, _, path in files) < 4_000_000
    for name, version, path in files:
        entries = read_corpus(path)
        assert all(e["library"] == name and e["version"] == version for e in entries)
        functions = [e for e in entries if e["kind"] in ("function", "method")]
        assert functions and all("params" in e and "signature" in e for e in functions[:50])


def test_entries_carry_signature_docs_and_deprecations():
    catalog, warning = load_catalog_checked("mlflow", "3.17.2")
    assert warning is None
    log_metric = catalog.lookup("mlflow.log_metric")
    assert [p[0] for p in log_metric["params"][:3]] == ["key", "value", "step"]
    assert log_metric["summary"].startswith("Log a metric")
    assert "step" in log_metric["param_docs"]
    assert "artifact_path" in catalog.lookup("mlflow.sklearn.log_model")["deprecated_params"]
    assert catalog.lookup("mlflow.tracking.MlflowClient") is catalog.lookup("mlflow.MlflowClient")


def test_usage_notes_are_tagged_by_version_and_retrievable():
    catalog, _ = load_catalog_checked("mlflow", "3.17.2")
    notes = {n["qualname"]: n for n in catalog.notes}
    assert "note:mlflow-log-model-name" in notes
    assert notes["note:mlflow-log-model-name"]["versions"] == ">=3.0"
    assert notes["note:mlflow-log-model-name"] in catalog.documented()


def test_version_selection_prefers_installed_else_nearest_with_warning():
    version, _, warning = select_version("optuna", "5.0.0")
    assert (version, warning) == ("5.0.0", None)
    version, _, warning = select_version("optuna", "4.2.0")
    assert version == "5.0.0" and "4.2.0 is not indexed" in warning
    assert version_key("2.13.0+cpu") == (2, 13, 0)


def test_user_built_corpus_is_used_for_its_version(isolated_cache):
    committed = paths.committed_corpus_dir() / "dvc@3.67.1.jsonl"
    user_dir = isolated_cache / "corpus"
    user_dir.mkdir(parents=True, exist_ok=True)
    entries = read_corpus(committed)
    for entry in entries:
        entry["version"] = "9.9.9"
    (user_dir / "dvc@9.9.9.jsonl").write_text("\n".join(json.dumps(e) for e in entries))
    try:
        catalog, warning = load_catalog_checked("dvc", "9.9.9")
        assert catalog.version == "9.9.9" and warning is None
        catalog, warning = load_catalog_checked("dvc", "9.0")
        assert catalog.version == "9.9.9" and "nearest" in warning
    finally:
        (user_dir / "dvc@9.9.9.jsonl").unlink()


def test_corrupt_corpus_line_is_a_clear_error(tmp_path):
    bad = tmp_path / "dvc@1.0.jsonl"
    bad.write_text('{"qualname": "dvc"}\n{not json\n')
    with pytest.raises(ValueError, match=r"dvc@1.0.jsonl:2: corrupt corpus line"):
        read_corpus(bad)


def test_committed_corpus_matches_the_installed_library():
    """Rebuilding a library from the installed version gives the committed entries."""
    from mlops_adapt.retrieval.introspect import build_library, installed_version

    spec = LIBRARIES["dvc"]
    version = installed_version(spec)
    committed = paths.committed_corpus_dir() / f"dvc@{version}.jsonl"
    if not committed.exists():
        pytest.skip(f"dvc {version} is installed but not the committed version")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fresh = build_library(spec)
    assert [e["qualname"] for e in fresh] == [e["qualname"] for e in read_corpus(committed)]


def test_tokenize_splits_identifiers_and_keeps_them_whole():
    terms = tokenize("mlflow.log_metric TPESampler")
    assert {"log_metric", "log", "metric", "tpesampler", "tpe", "sampler"} <= set(terms)


def test_code_symbols_drop_call_arguments():
    assert code_symbols("Repo(root).add(str(path))") == ["repo.add"]
    assert code_symbols("log a metric per epoch") == []
    assert code_symbols("use log_metric here") == ["log_metric"]


def test_bm25_ranks_the_identifier_match_first():
    docs = [
        "mlflow.log_param log a parameter",
        "mlflow.log_metric log a metric",
        "mlflow.set_tag set a tag",
    ]
    assert BM25(docs).search("log_metric", 3)[0][0] == 1


def test_lexical_retrieval_works_without_chromadb_and_says_so():
    script = textwrap.dedent("""
        import sys, warnings
        sys.modules["chromadb"] = None
        sys.modules["sentence_transformers"] = None
        from mlops_adapt.retrieval.query import retrieve, retrieve_detailed
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            hits = retrieve("log a metric value per epoch with the step", "mlflow", 5)
        result = retrieve_detailed("dvc.api.read(path, rev='v1')", "dvc", 3)
        print(result.mode)
        print(result.note)
        print(any("lexical" in str(w.message) for w in caught))
        print(",".join(h.qualname for h in hits))
        print(result.hits[0].qualname)
    """)
    env = {**os.environ, "MLOPS_ADAPT_CHROMA": ""}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    mode, note, warned, hits, first = done.stdout.strip().splitlines()
    assert mode == "lexical" and "chromadb is not installed" in note and warned == "True"
    assert "mlflow.log_metric" in hits.split(",")
    assert first == "dvc.api.read"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlops_adapt.retrieval.cli", *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )


def test_cli_lexical_query_prints_json_hits():
    done = run_cli(
        "index",
        "query",
        "suggest a float on a log scale",
        "--lib",
        "optuna",
        "--mode",
        "lexical",
        "-k",
        "3",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert len(hits) == 3 and hits[0]["library"] == "optuna"
    assert "optuna.Trial.suggest_float" in [h["qualname"] for h in hits]


def test_cli_rejects_bad_input_with_exit_2():
    assert run_cli("index", "query", "x", "--lib", "keras").returncode == 2
    assert run_cli("index", "query", "x", "-k", "0").returncode == 2
    done = run_cli("index", "build", "--lib", "keras")
    assert done.returncode == 2 and "unknown library keras" in done.stderr


def test_index_commands_register_on_a_parent_parser():
    import argparse

    from mlops_adapt.retrieval.cli import add_index_commands

    parser = argparse.ArgumentParser(prog="mlops-adapt")
    add_index_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["index", "query", "log metric", "--lib", "mlflow", "-k", "3"])
    assert (args.index_command, args.text, args.lib, args.k) == ("query", "log metric", "mlflow", 3)
    args = parser.parse_args(["index", "build", "--lib", "mlflow", "--lib", "dvc"])
    assert args.libs == ["mlflow", "dvc"]
