"""Build corpus files from the installed libraries: `mlops-adapt index build` and the script."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from mlops_adapt.retrieval.corpus import list_corpus_files, write_corpus
from mlops_adapt.retrieval.libraries import LIBRARIES, get_library


def _progress(total: int, desc: str):
    """A tqdm bar on a terminal, or None when tqdm is missing."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(
        total=total,
        desc=desc,
        unit="lib",
        file=sys.stderr,
        leave=False,
        disable=not sys.stderr.isatty(),
    )


def build_corpus(folder: Path, libraries: list[str] | None = None) -> dict[str, str]:
    """Introspect each installed library into `folder`; returns {library: version or reason}.

    A library that is not installed is reported and skipped; the committed corpus still
    covers it. Older files of a rebuilt library are removed so one version stays per file.
    """
    from mlops_adapt.retrieval.introspect import build_library, installed_version

    names = libraries or list(LIBRARIES)
    specs = [get_library(name) for name in names]
    outcome: dict[str, str] = {}
    bar = _progress(len(specs), "introspecting")
    for spec in specs:
        if bar is not None:
            bar.set_postfix_str(spec.name)
        version = installed_version(spec)
        if version is None:
            outcome[spec.name] = f"skipped: {spec.dist} is not installed"
        else:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    entries = build_library(spec)
            except ImportError as err:
                outcome[spec.name] = f"skipped: {err}"
            else:
                for library, old_version, path in list_corpus_files(folder):
                    if library == spec.name and old_version != version:
                        path.unlink()
                write_corpus(folder, spec.name, version, entries)
                outcome[spec.name] = version
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return outcome
