"""Lines a translate-gitpython-dvc migration adds to each script, per corpus (median and max).

The issue asks for a short migration ("a small helper module or plain dvc calls, not 150
lines"); this measures what the recipe writes: the `+` lines of the unified diff of adapt()'s
output against the original, for every case of the task in each corpus's tasks.json.

    PYTHONPATH=. python bench/dvc_added_lines.py [CORPUS ...] [--each]

CORPUS: folders under bench/corpus (default: the development corpora; "." is bench/corpus
itself, whose translate cases are the git/ scripts).
"""

from __future__ import annotations

import argparse
import difflib
import statistics

from mlops_adapt.bench.corpus import load_corpus
from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied

TASK = "translate-gitpython-dvc"
CORPORA = (".", "public", "public-holdout", "public-holdout-2", "public-holdout-3", "public-holdout-4",
           "public-holdout-5", "public-holdout-6")


def added_lines(original: str, edited: str) -> int:
    """The `+` lines of the unified diff from `original` to `edited`."""
    diff = difflib.unified_diff(original.splitlines(), edited.splitlines(), lineterm="")
    return sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))


def measure(corpus: str) -> tuple[dict[str, int], int]:
    """Added lines per translated script of a corpus, and how many cases were not translated."""
    sizes, untranslated = {}, 0
    for script in load_corpus(tasks=[TASK], corpus=None if corpus == "." else corpus):
        source = script.source()
        result = adapt(source, TASK, AdaptOptions(backend="recipe", path=script.name))
        if isinstance(result, Applied):
            sizes[script.name] = added_lines(source, result.code)
        else:
            untranslated += 1
    return sizes, untranslated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=list(CORPORA))
    parser.add_argument("--each", action="store_true", help="also print every script's count")
    args = parser.parse_args()
    print("| corpus | translated | not translated | median | max |")
    print("|---|---:|---:|---:|---:|")
    everything: list[int] = []
    for corpus in args.corpora:
        sizes, untranslated = measure(corpus)
        values = sorted(sizes.values())
        everything += values
        if args.each:
            for name, count in sorted(sizes.items(), key=lambda item: item[1]):
                print(f"|   {name} | | | {count} | |")
        median = statistics.median(values) if values else "-"
        print(f"| {corpus} | {len(values)} | {untranslated} | {median} | {max(values, default='-')} |", flush=True)
    if everything:
        print(f"| all | {len(everything)} | | {statistics.median(everything)} | {max(everything)} |")


if __name__ == "__main__":
    main()
