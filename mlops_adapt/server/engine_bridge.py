"""Document buffers to engine.adapt() runs and back: version checks, a small result cache, reports."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from pygls.exceptions import JsonRpcContentModified, JsonRpcException, JsonRpcInvalidParams

from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Result, result_to_dict
from mlops_adapt.server.jobs import run_off_loop
from mlops_adapt.tasks import TASKS


class RequestFailed(JsonRpcException):
    """LSP's RequestFailed: the request was valid but no verified edit exists."""

    CODE = -32803
    MESSAGE = "Request Failed"


@dataclass(frozen=True)
class Snapshot:
    """The text of one document at one version."""

    uri: str
    version: int
    text: str
    path: str | None


class ResultCache:
    """The last few engine results, keyed by text, task and options (so a re-resolve is instant)."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[tuple, Result] = OrderedDict()

    @staticmethod
    def key(text: str, task: str, options: AdaptOptions) -> tuple:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return (digest, task, options.backend, options.verify, options.path)

    def get(self, key: tuple) -> Result | None:
        if key in self._items:
            self._items.move_to_end(key)
        return self._items.get(key)

    def put(self, key: tuple, result: Result) -> None:
        self._items[key] = result
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


def snapshot(ls, uri: str) -> Snapshot:
    """The open document's current text and version; an error for documents the client never opened."""
    document = ls.workspace.text_documents.get(uri)
    if document is None:
        raise JsonRpcInvalidParams(f"document is not open: {uri}")
    return Snapshot(uri, document.version or 0, document.source, document.path)


def require_version(ls, uri: str, version: int) -> Snapshot:
    """The snapshot, or ContentModified when the buffer moved on since `version`."""
    current = snapshot(ls, uri)
    if current.version != version:
        raise JsonRpcContentModified(
            f"{uri} changed (version {version} -> {current.version}); ask for code actions again"
        )
    return current


async def adapt_snapshot(ls, snap: Snapshot, task: str, *, progress: bool) -> Result:
    """Run engine.adapt on the snapshot off the event loop (cached), and remember its report."""
    options = ls.settings.adapt_options(snap.path)
    key = ResultCache.key(snap.text, task, options)
    result = ls.results.get(key)
    if result is None:
        title = f"MLOps-Adapt: {TASKS[task].title}"
        result = await run_off_loop(
            ls, _adapt, snap.text, task, options, title=title, progress=progress
        )
        ls.results.put(key, result)
    ls.reports.pop(snap.uri, None)  # re-insert, so the newest report is last
    ls.reports[snap.uri] = result_to_dict(result)
    return result


def require_applied(result: Result) -> Applied:
    """The applied result, or RequestFailed carrying the reasons when there is no verified edit."""
    if isinstance(result, Applied) and result.changed:
        return result
    summary = result_to_dict(result)
    reasons = summary.get("reasons") or [summary.get("reason", "nothing to adapt")]
    raise RequestFailed(f"no verified edit for {result.task}: {'; '.join(reasons)}", data=summary)


def command_target(args: tuple) -> tuple[str, str, int | None]:
    """Validate command arguments [uri, task] or [uri, task, version] (or one object with those keys)."""
    if len(args) == 1 and isinstance(args[0], dict):
        args = (args[0].get("uri"), args[0].get("task"), args[0].get("version"))
    if len(args) not in (2, 3):
        raise JsonRpcInvalidParams("expected arguments [uri, task] or [uri, task, version]")
    uri, task, version = (*args, None)[:3]
    if not isinstance(uri, str) or not uri:
        raise JsonRpcInvalidParams("the first argument must be a document uri")
    if task not in TASKS:
        raise JsonRpcInvalidParams(f"unknown task {task!r}; known tasks: {', '.join(TASKS)}")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise JsonRpcInvalidParams("the version must be an integer")
    return uri, task, version


def describe(summary: dict) -> str:
    """One line for the user about a result that brought no edit."""
    reasons = summary.get("reasons") or [summary.get("reason", "")]
    return (
        f"MLOps-Adapt {summary['task']}: {summary['status']}: {'; '.join(r for r in reasons if r)}"
    )


def _adapt(text: str, task: str, options: AdaptOptions) -> Result:
    # libcst and the recipes load on the first resolve, not at start-up
    from mlops_adapt.engine import adapt

    return adapt(text, task, options)
