"""Regenerate the committed corpus (api_docs_index/corpus) from the installed libraries.

Run from the repository root with the dev environment: `python api_docs_index/build_corpus.py
[--lib NAME]... [--vectors-only]`; it also refreshes the shipped vectors (embeddings/). Users run `mlops-adapt index build`, which writes to their cache instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mlops_adapt.retrieval.build import build_corpus
from mlops_adapt.retrieval.vectors import write_bundle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", action="append", help="library to rebuild (default: all)")
    parser.add_argument(
        "--vectors-only",
        action="store_true",
        help="only refresh embeddings/ (the shipped vectors of the committed corpus)",
    )
    args = parser.parse_args()
    if not args.vectors_only:
        for library, outcome in build_corpus(HERE / "corpus", args.lib).items():
            print(f"{library}: {outcome}")
    texts, embedded = write_bundle()
    print(f"embeddings: {texts} texts, {embedded} embedded anew")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
