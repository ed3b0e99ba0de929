"""Runs several training scripts in one Python process (torch and optuna imported once) and reports on each.

Usage: python _driver.py RESULTS.json SCRIPT.py... ; each script runs as __main__ in its own folder,
with its stdout captured. Afterwards the driver inspects the script's module namespace: torch
modules (pruned weights, quantized layers) and an Optuna `study` when there is one.
"""

import contextlib
import io
import json
import os
import runpy
import sys
import traceback


def inspect_namespace(ns):
    info = {}
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        models = [v for v in ns.values() if isinstance(v, torch.nn.Module)]
        layers = [m for v in models for m in v.modules()]
        weights = [m.weight for m in layers if isinstance(m, (torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d))]
        info["quantized_linears"] = sum(".quantized.dynamic" in type(m).__module__ and "Linear" in type(m).__name__ for m in layers)
        info["zero_fraction"] = sum(int((w == 0).sum()) for w in weights) / max(1, sum(w.nelement() for w in weights))
        # The optimized copy beside the original: the sparsest model in the namespace.
        info["max_zero_fraction"] = max((_zero_fraction(v, torch) for v in models), default=0.0)
        info["models"] = len(models)
        info["pruning_left"] = sum(hasattr(m, "weight_orig") for m in layers)
    study = ns.get("study")
    if study is not None and hasattr(study, "trials"):
        info["completed_trials"] = sum(t.state.name == "COMPLETE" for t in study.trials)
        info["best_params"] = study.best_params
        info["direction"] = study.direction.name
    return info


def _zero_fraction(model, torch):
    weights = [m.weight for m in model.modules() if isinstance(m, (torch.nn.Linear, torch.nn.Conv1d, torch.nn.Conv2d))]
    return sum(int((w == 0).sum()) for w in weights) / max(1, sum(w.nelement() for w in weights))


def main():
    results_path, scripts = sys.argv[1], sys.argv[2:]
    results = {}
    for path in scripts:
        folder = os.path.dirname(os.path.abspath(path))
        os.chdir(folder)
        sys.argv = [path]
        out = io.StringIO()
        record = {"error": None, "info": {}}
        try:
            with contextlib.redirect_stdout(out):
                ns = runpy.run_path(path, run_name="__main__")
            record["info"] = inspect_namespace(ns)
        except BaseException:  # noqa: BLE001  # a script's failure is a test failure to report, not a driver crash
            record["error"] = traceback.format_exc()[-3000:]
        record["stdout"] = out.getvalue()
        results[path] = record
    with open(results_path, "w") as handle:
        json.dump(results, handle, default=str)


if __name__ == "__main__":
    main()
