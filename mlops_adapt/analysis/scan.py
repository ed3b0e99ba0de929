"""The scan entry point: one read-only pass over a module that records the sites recipes edit.

The pieces live by concern: sites.py (the Scan and its site records), scanner.py (the walk),
scan_params.py / hyperparams.py (hyperparameters), scan_metrics.py / metric_sites.py (metrics),
training.py (training calls and loops). Callers import the public names from here.
"""

from __future__ import annotations

import libcst as cst

from mlops_adapt.analysis.scanner import Scanner
from mlops_adapt.analysis.sites import (
    Ctx,
    Loop,
    MetricSite,
    NestedRun,
    ParamSite,
    Scan,
    Statement,
    TrainedModel,
)

__all__ = ["Ctx", "Loop", "MetricSite", "NestedRun", "ParamSite", "Scan", "Scanner", "Statement", "TrainedModel",
           "scan_module"]


def scan_module(module: cst.Module, source: str | None = None) -> Scan:
    """Run one scanning pass over a parsed module (`source` is its text, when the caller has it)."""
    return Scanner(module, source).run()
