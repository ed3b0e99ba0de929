"""Dense retrieval out of the box: a fresh cache indexes on first use; a version mismatch is said."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "api_docs_index" / "corpus"
pytestmark = pytest.mark.slow


def query(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mlops_adapt", "index", "query", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


def _env(cache: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLOPS_ADAPT_")}
    env.update({"MLOPS_ADAPT_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"})
    env.update(extra)
    return env


def test_a_fresh_cache_indexes_lazily_and_answers_dense(tmp_path):
    cache = tmp_path / "cache"
    env = _env(cache)
    text = "log a metric value for each epoch with the step number"
    first = query(env, text, "--lib", "mlflow", "--mode", "dense", "-k", "5")
    assert first.returncode == 0, first.stderr
    version = importlib.metadata.version("mlflow")
    assert first.stdout.startswith(f"dense retrieval from mlflow {version}:"), first.stdout[:300]
    assert "mlflow.log_metric" in first.stdout
    assert f"indexing mlflow {version} docs for dense retrieval (first use" in first.stderr
    assert "lexical" not in first.stderr
    assert (cache / "chroma").is_dir()

    again = query(env, "record hyperparameters of a run", "--lib", "mlflow", "-k", "5")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("hybrid retrieval from mlflow")
    assert "mlflow.log_param" in again.stdout
    assert "indexing" not in again.stderr, "indexed once, then reused"


def _older_corpus(tmp_path: Path) -> tuple[Path, str]:
    """A committed-corpus folder whose dvc file is labelled with an older version than installed."""
    corpus = tmp_path / "index" / "corpus"
    corpus.mkdir(parents=True)
    source = next(CORPUS.glob("dvc@*.jsonl"))
    shutil.copy(source, corpus / "dvc@3.0.0.jsonl")
    shutil.copytree(ROOT / "api_docs_index" / "embeddings", tmp_path / "index" / "embeddings")
    return corpus, importlib.metadata.version("dvc")


def test_a_version_mismatch_is_indexed_for_the_installed_version(tmp_path):
    corpus, installed = _older_corpus(tmp_path)
    env = _env(tmp_path / "cache", MLOPS_ADAPT_CORPUS_DIR=str(corpus))
    done = query(env, "read a data file as it was at an older git revision", "--lib", "dvc")
    assert done.returncode == 0, done.stderr
    assert f"dvc {installed} is installed but the docs index has 3.0.0" in done.stderr
    assert done.stdout.startswith(f"hybrid retrieval from dvc {installed}:"), done.stdout[:300]
    assert "dvc.api.read" in done.stdout
    assert (tmp_path / "cache" / "corpus" / f"dvc@{installed}.jsonl").is_file()


def test_a_mismatch_that_cannot_be_indexed_says_so(tmp_path):
    corpus, installed = _older_corpus(tmp_path)
    broken = tmp_path / "shadow" / "dvc"  # a broken install: `import dvc` fails
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('dvc is broken here')\n")
    env = _env(tmp_path / "cache", MLOPS_ADAPT_CORPUS_DIR=str(corpus),
               PYTHONPATH=os.pathsep.join([str(broken.parent), str(ROOT)]))
    done = query(env, "read a data file as it was at an older git revision", "--lib", "dvc")
    assert done.returncode == 0, done.stderr
    assert (f"note: dvc {installed} is installed but its docs could not be indexed"
            in done.stderr), done.stderr
    assert "retrieving from dvc 3.0.0 instead" in done.stderr
    assert done.stdout.startswith("hybrid retrieval from dvc 3.0.0:")
