"""LLM accuracy benchmark: pass@1 and pass@k (paper format) of the LLM path over benchmark scripts.

Against a real endpoint (vLLM, OpenAI, ...), configured as usual (MLOPS_ADAPT_LLM_BASE_URL, ...):
    .venv/bin/python bench/llm/accuracy.py --task track-mlflow --k 3 bench/corpus/ml
Self-check of the harness on a loopback endpoint whose "model" answers one correct edit (the
recipe's) and two broken ones (a hallucinated API, a deleted statement) per request:
    .venv/bin/python bench/llm/accuracy.py --task track-mlflow --k 3 --demo bench/corpus/ml
Expected demo figures: Pass@1 = 33.3%, Pass@3 = 100% on the scripts the recipe adapts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def _collect(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _demo_endpoint(sources: dict[str, str], task: str):
    """A loopback endpoint answering [recipe edit, hallucinated API, deleted line] in a shuffled order."""
    from mlops_adapt.llm.loopback import ScriptedEndpoint, user_code_of
    from mlops_adapt.options import AdaptOptions
    from mlops_adapt.tasks import TASKS
    from mlops_adapt.transforms.base import run_recipe

    good = {}
    for source in sources.values():
        out = run_recipe(task, source, AdaptOptions())
        if isinstance(out, str) and out != source:
            good[source] = out

    library = TASKS[task].library

    def responder(body, index):
        source = user_code_of(body)
        edit = good.get(source, source)
        hallucinated = edit + f"{library}.log_hyperparams_everywhere()\n"  # no such API
        last = [line for line in source.splitlines(keepends=True) if line.strip()][-1]
        cut = edit.rfind(last)
        deleted = edit[:cut] + edit[cut + len(last) :] if cut >= 0 else ""
        answers = [f"```python\n{x}```" for x in (hallucinated, deleted, edit)]
        return answers[index % 3 :] + answers[: index % 3]

    return ScriptedEndpoint(responder).start(), set(good)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--task", default="track-mlflow")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--verify", choices=["static", "run"], default="static")
    parser.add_argument(
        "--demo", action="store_true", help="use a loopback endpoint instead of the configured one"
    )
    parser.add_argument("--json", metavar="REPORT")
    args = parser.parse_args(argv)

    from mlops_adapt.llm.config import load_llm_config
    from mlops_adapt.llm.evaluate import format_table, score_scripts, summarize
    from mlops_adapt.llm.pipeline import LLMJob
    from mlops_adapt.options import AdaptOptions

    files = _collect(args.paths)
    sources = {str(f): f.read_text(encoding="utf-8") for f in files}
    endpoint = None
    if args.demo:
        os.environ["MLOPS_ADAPT_CACHE_DIR"] = tempfile.mkdtemp(prefix="llm-accuracy-")
        endpoint, adaptable = _demo_endpoint(sources, args.task)
        sources = {p: s for p, s in sources.items() if s in adaptable}
        os.environ.update(
            {"MLOPS_ADAPT_LLM_BASE_URL": endpoint.base_url, "MLOPS_ADAPT_LLM_MODEL": "test-model"}
        )
    config = load_llm_config()
    if not config.configured:
        print(
            "no LLM endpoint configured: set MLOPS_ADAPT_LLM_BASE_URL (or pass --demo)",
            file=sys.stderr,
        )
        return 2
    items = [
        LLMJob(s, args.task, AdaptOptions(backend="llm", verify=args.verify, path=p))
        for p, s in sources.items()
    ]
    try:
        scores = score_scripts(items, k=args.k, jobs=args.jobs, config=config)
    finally:
        if endpoint is not None:
            endpoint.stop()
    table = summarize(scores, args.k)
    print(
        f"model {config.model or '(served model)'} at {config.shown_url}, k={args.k}, verify={args.verify}"
    )
    print(format_table(table, args.k))
    for score in scores:
        if score.error:
            print(f"  {score.path}: {score.error}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"summary": table, "scripts": [s.__dict__ for s in scores]}, indent=2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
