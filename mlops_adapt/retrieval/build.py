"""Build corpus files from the installed libraries: `mlops-adapt index build` and the script."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from mlops_adapt import progress
from mlops_adapt.retrieval.corpus import list_corpus_files, write_corpus
from mlops_adapt.retrieval.libraries import LIBRARIES, get_library


def build_corpus(folder: Path, libraries: list[str] | None = None) -> dict[str, str]:
    """Introspect each installed library into `folder`; returns {library: version or reason}.

    A library that is not installed is reported and skipped; the committed corpus still
    covers it. Older files of a rebuilt library are removed so one version stays per file.
    """
    from mlops_adapt.retrieval.introspect import build_library, installed_version

    names = libraries or list(LIBRARIES)
    specs = [get_library(name) for name in names]
    outcome: dict[str, str] = {}
    for number, spec in enumerate(specs, 1):
        version = installed_version(spec)
        if version is None:
            outcome[spec.name] = f"skipped: {spec.dist} is not installed"
            continue
        with progress.step(f"[{number}/{len(specs)}] reading the {spec.name} {version} API"):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    entries = build_library(spec)
            except ImportError as err:
                outcome[spec.name] = f"skipped: {err}"
                continue
        if not any(e.get("kind") in ("function", "class", "method") for e in entries):
            # Modules that fail to import are skipped one by one; none at all is a broken install,
            # and an empty file would hide the older docs that still help.
            outcome[spec.name] = f"skipped: no module of {spec.root} could be imported"
            continue
        for library, old_version, path in list_corpus_files(folder):
            if library == spec.name and old_version != version:
                path.unlink()
        write_corpus(folder, spec.name, version, entries)
        outcome[spec.name] = version
    return outcome


def main(argv: list[str] | None = None) -> int:
    """`python -m mlops_adapt.retrieval.build LIB...`: introspect into the user cache (a child
    process, so the library's import side effects and memory stay out of the caller)."""
    from mlops_adapt.retrieval import paths

    outcome = build_corpus(paths.user_corpus_dir(), list(argv if argv is not None else sys.argv[1:]))
    for library, result in outcome.items():
        print(f"{library}: {result}")
    return 0 if all(not r.startswith("skipped") for r in outcome.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
