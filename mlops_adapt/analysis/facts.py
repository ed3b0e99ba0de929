"""analyze(): the facts about one source text, cached by content hash."""

from __future__ import annotations

from functools import lru_cache

import libcst as cst

from mlops_adapt.analysis.model import (
    Artifact,
    Facts,
    GitDataOp,
    Hyperparam,
    Metric,
    Model,
    TrainingLoop,
)
from mlops_adapt.analysis.models import find_trained_models
from mlops_adapt.analysis.scan import scan_module


def analyze(source: str | cst.Module) -> Facts:
    """Facts for a source text (cached) or an already parsed module."""
    if isinstance(source, cst.Module):
        return _facts_of(source)
    return _analyze_text(source)


@lru_cache(maxsize=256)
def _analyze_text(source: str) -> Facts:
    from mlops_adapt.analysis.cache import parsed, scanned

    return _facts_of(parsed(source), scanned(source))


def _facts_of(module: cst.Module, scan=None) -> Facts:
    scan = scan or scan_module(module)
    hyperparams: list[Hyperparam] = []
    for site in scan.params:
        if site.whole:
            for key in site.keys:
                hyperparams.append(Hyperparam(key, None, site.kind, site.line, site.whole))  # type: ignore[arg-type]
        else:
            for key, value in site.entries:
                kind = "constant" if site.kind in ("constant", "local", "sweep") else "ctor-kwarg"
                literal = None if value == key else value
                hyperparams.append(Hyperparam(key, literal, kind, site.line, site.owner))  # type: ignore[arg-type]
    metrics = []
    for m in scan.metrics:
        if m.kind == "dict" and m.keys:
            metrics.extend(Metric(k, f'{m.expr}["{k}"]', "dict", m.line, bool(m.ctx.loops)) for k in m.keys)
        else:
            metrics.append(Metric(m.key, m.expr, m.kind, m.line, bool(m.ctx.loops)))
    models = [
        Model(t.var, t.constructor, t.framework, t.line, t.trained_line)  # type: ignore[arg-type]
        for t in find_trained_models(module, scan)
    ]
    loops = [TrainingLoop("fit", line) for line in scan.fit_lines]
    loops += [TrainingLoop("torch-loop", line, step) for line, step in scan.torch_loops]
    loops += [TrainingLoop("cv", line) for line in scan.cv_lines]
    artifacts = [Artifact(saver, obj, path, line) for saver, obj, path, line, _ in scan.artifacts]
    git_ops = [GitDataOp(op, line, args) for op, line, args in scan.git_calls]
    return Facts(
        hyperparams=tuple(hyperparams),
        metrics=tuple(metrics),
        models=tuple(models),
        loops=tuple(loops),
        artifacts=tuple(artifacts),
        git_ops=tuple(git_ops),
        imports=frozenset(scan.imported_modules),
    )
