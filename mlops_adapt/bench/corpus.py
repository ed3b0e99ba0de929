"""The benchmark corpus on disk: scripts, their applicable tasks, and the verifier cases."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


def bench_root() -> Path:
    """The repository's bench/ folder (next to the package, or under the current directory)."""
    for base in (Path(__file__).resolve().parents[2], Path.cwd()):
        if (base / "bench" / "corpus" / "tasks.json").is_file():
            return base / "bench"
    raise FileNotFoundError("bench/corpus/tasks.json not found; run from the mlops-adapt checkout")


@dataclass(frozen=True)
class CorpusScript:
    """One training or data-versioning script and the tasks that apply to it."""

    path: Path
    name: str  # relative to bench/corpus
    tasks: tuple[str, ...]

    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")


def corpus_dir(corpus: str | Path | None = None, root: Path | None = None) -> Path:
    """The folder holding a corpus's tasks.json: bench/corpus by default, or `corpus`.

    `corpus` is a folder path (absolute, relative to the current directory, or relative to
    bench/corpus, e.g. "holdout"), or a tasks.json file itself.
    """
    default = (root or bench_root()) / "corpus"
    if corpus is None:
        return default
    given = Path(corpus)
    for candidate in (given, default / given):
        if candidate.is_file() and candidate.name == "tasks.json":
            return candidate.parent.resolve()
        if (candidate / "tasks.json").is_file():
            return candidate.resolve()
    raise FileNotFoundError(f"{corpus}: no tasks.json there (a corpus folder lists its scripts in tasks.json)")


def load_corpus(
    root: Path | None = None,
    tasks: list[str] | None = None,
    match: str | None = None,
    corpus: str | Path | None = None,
) -> list[CorpusScript]:
    """The corpus scripts, each with its applicable tasks (filtered by `tasks` and a name substring).

    `corpus` chooses another corpus folder with its own tasks.json (see corpus_dir), such as the
    held-out set bench/corpus/holdout; names stay relative to that folder.
    """
    corpus = corpus_dir(corpus, root)
    meta = json.loads((corpus / "tasks.json").read_text(encoding="utf-8"))["scripts"]
    scripts = []
    for name, applicable in sorted(meta.items()):
        chosen = tuple(t for t in applicable if not tasks or t in tasks)
        if chosen and (not match or match in name):
            if not (corpus / name).is_file():
                raise FileNotFoundError(f"{corpus / 'tasks.json'} lists {name}, which does not exist")
            scripts.append(CorpusScript(corpus / name, name, chosen))
    return scripts


@dataclass(frozen=True)
class VerifierCase:
    """A candidate adaptation with a known verdict: 'reject' (with the reason keyword) or 'accept'."""

    id: str
    task: str
    original: Path
    candidate: Path
    expect: str
    reason: str  # a keyword the rejection reasons must contain (bad cases)
    mistake: str  # what is wrong (bad) or what it shows (good)
    set: str = "own"  # which case set it belongs to (VERIFIER_SETS)


# Verifier case sets, each a cases.json under bench/: "own" holds adaptations in this project's
# recipe style, "foreign" correct adaptations in the style other projects publish.
VERIFIER_SETS = {"own": "verifier", "foreign": "verifier/foreign"}


def load_verifier_cases(root: Path | None = None, which: str = "own") -> list[VerifierCase]:
    """The cases of one set ("own", "foreign") or of every set ("all"), from their cases.json."""
    if which != "all" and which not in VERIFIER_SETS:
        raise ValueError(f"unknown verifier set {which!r}; known: all, {', '.join(VERIFIER_SETS)}")
    cases = []
    for name, folder in VERIFIER_SETS.items():
        if which not in ("all", name):
            continue
        base = (root or bench_root()) / folder
        data = json.loads((base / "cases.json").read_text(encoding="utf-8"))
        for item in data["cases"]:
            cases.append(
                VerifierCase(
                    id=item["id"],
                    task=item["task"],
                    original=(base / item["original"]).resolve(),
                    candidate=(base / item["candidate"]).resolve(),
                    expect=item["expect"],
                    reason=item.get("reason", ""),
                    mistake=item.get("mistake", ""),
                    set=name,
                )
            )
    return cases
