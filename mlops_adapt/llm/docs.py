"""The API docs a prompt carries: retrieved for the task's target library only, at the installed version."""

from __future__ import annotations

from dataclasses import dataclass

from mlops_adapt.analysis.model import Facts
from mlops_adapt.llm.prompting import docs_query, installed_version
from mlops_adapt.tasks import TASKS


@dataclass(frozen=True)
class PromptDocs:
    """Rendered doc entries, the library version they describe, and why they may be missing."""

    text: str
    version: str
    libraries: frozenset[str]  # the libraries of the entries, for checking
    warning: str | None = None
    entries: tuple[str, ...] = ()  # the rendered entries, best first (the token budget trims)

    def first(self, count: int) -> str:
        """The text with only the `count` best entries (the whole text when there are none)."""
        if not self.entries or count >= len(self.entries):
            return self.text
        if count <= 0:
            return "(docs left out: the prompt must fit the model's context window)"
        return "\n".join(self.entries[:count])


def retrieve_docs(task: str, source: str, facts: Facts, k: int) -> PromptDocs:
    """Top-k docs of the task's library; never raises (no index means a prompt without docs)."""
    library = TASKS[task].library
    version = installed_version(library)
    if k <= 0:
        return PromptDocs("(docs disabled: docs_k = 0)", version, frozenset())
    try:
        from mlops_adapt.retrieval.query import retrieve
    except ImportError:
        return PromptDocs(
            "(no API docs index is installed)",
            version,
            frozenset(),
            "the docs index is not available; the prompt carries no API docs",
        )
    try:
        hits = retrieve(docs_query(task, facts, source), library, k)
    except Exception as err:  # noqa: BLE001 - a broken index must not stop generation
        return PromptDocs(
            f"(no API docs for {library}: {err})",
            version,
            frozenset(),
            f"docs retrieval failed: {type(err).__name__}: {err}",
        )
    # The contract asks retrieve() for one library; filter anyway, since a prompt must never
    # teach the API of a library other than the task's target.
    own = [h for h in hits if h.library == library]
    if not own:
        return PromptDocs(f"(no API docs found for {library})", version, frozenset())
    if own[0].version:
        version = own[0].version
    entries = tuple(h.render() for h in own)
    return PromptDocs("\n".join(entries), version, frozenset(h.library for h in own), None, entries)
