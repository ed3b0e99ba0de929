"""Regenerate the committed corpus (api_docs_index/corpus) from the installed libraries.

Run from the repository root with the dev environment: `python api_docs_index/build_corpus.py
[--lib NAME]...`. Users run `mlops-adapt index build`, which writes to their cache instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from mlops_adapt.retrieval.build import build_corpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", action="append", help="library to rebuild (default: all)")
    args = parser.parse_args()
    for library, outcome in build_corpus(HERE / "corpus", args.lib).items():
        print(f"{library}: {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
