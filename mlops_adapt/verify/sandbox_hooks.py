"""Observation hooks, installed in the sandbox as sitecustomize.py: side effects no store records.

Optuna trials (and the trial cap), pruning, quantization, optimizer steps and cross-validation
scores are observed by wrapping library functions right after their modules are imported, without
touching the user's code. Each event is one JSON line in $MLOPS_ADAPT_OBSERVE.

The sandbox reads this file's text and writes it into the sandbox (generated tests carry the text
inlined, see testgen), so it is stdlib-only and must not contain three single quotes in a row.
Importing it does nothing; the hooks install only when it runs as `sitecustomize`.
"""

# Observing must never break the user's script, so every hook swallows its own errors:
# ruff: noqa: BLE001, S110

import atexit
import importlib.abc
import importlib.util
import json
import os
import sys

_OUT = os.environ.get("MLOPS_ADAPT_OBSERVE")
_STATE = {"optimizer_steps": 0, "forward_after": {}}


def _emit(event):
    if not _OUT:
        return
    try:
        with open(_OUT, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(event, default=str) + "\n")
    except Exception:
        pass


def _sparsity(module, name):
    try:
        t = getattr(module, name)
        return float((t == 0).sum().item()) / max(1, t.numel())
    except Exception:
        return None


def _patch_optuna(mod):
    study_class = mod.Study
    original = study_class.optimize

    def optimize(self, func, n_trials=None, *args, **kwargs):
        cap = int(os.environ.get("MLOPS_ADAPT_N_TRIALS", "3"))
        if n_trials is None or n_trials > cap:
            n_trials = cap
        try:
            return original(self, func, n_trials, *args, **kwargs)
        finally:
            try:
                trials = [
                    {"state": t.state.name, "params": t.params, "value": t.value}
                    for t in self.trials
                ]
                best = None
                try:
                    best = self.best_params
                except Exception:
                    pass
                _emit(
                    {
                        "event": "optuna.optimize",
                        "directions": [d.name for d in self.directions],
                        "trials": trials,
                        "best_params": best,
                    }
                )
            except Exception as err:
                _emit({"event": "optuna.error", "error": repr(err)})

    study_class.optimize = optimize


class _ForwardCounter:
    """A forward hook that counts calls: a class, not a closure, so that a script saving the
    optimized model whole (`torch.save(model, path)`) can still pickle it."""

    def __init__(self, key):
        self.key = key

    def __call__(self, mod, args, output):
        _STATE["forward_after"][self.key] = _STATE["forward_after"].get(self.key, 0) + 1


def _count_forward(module, key):
    try:
        module.register_forward_hook(_ForwardCounter(key))
    except Exception:
        pass


def _watch_pruned(module, name, event):
    """Record a pruning call, and count the pruned module's later forward passes."""
    key = f"prune:{type(module).__name__}:{id(module)}"
    _emit(
        {
            "event": event,
            "module": type(module).__name__,
            "name": name,
            "sparsity": _sparsity(module, name),
            "optimizer_steps": _STATE["optimizer_steps"],
        }
    )
    if event != "prune.remove" and key not in _STATE["forward_after"]:
        _STATE["forward_after"][key] = 0
        _count_forward(module, key)


def _patch_prune(mod):
    names = (
        "l1_unstructured",
        "random_unstructured",
        "ln_structured",
        "random_structured",
        "identity",
        "custom_from_mask",
        "remove",
    )
    for fname in names:
        original = getattr(mod, fname, None)
        if original is None:
            continue

        def wrapper(module, name, *args, _original=original, _fname=fname, **kwargs):
            result = _original(module, name, *args, **kwargs)
            _watch_pruned(module, name, "prune." + _fname)
            return result

        setattr(mod, fname, wrapper)
    original_global = getattr(mod, "global_unstructured", None)
    if original_global is not None:

        def global_unstructured(parameters, *args, **kwargs):
            parameters = list(parameters)
            result = original_global(parameters, *args, **kwargs)
            for module, name in parameters:
                _watch_pruned(module, name, "prune.global_unstructured")
            return result

        mod.global_unstructured = global_unstructured


def _count_layer_class(cls):
    """Wrap a quantized layer class's forward once, counting its calls under "quantized:layers"."""
    original = cls.__dict__.get("forward")
    if original is None or getattr(original, "_counted", False):
        return

    def forward(self, *args, **kwargs):
        _STATE["forward_after"]["quantized:layers"] = _STATE["forward_after"].get("quantized:layers", 0) + 1
        return original(self, *args, **kwargs)

    forward._counted = True
    cls.forward = forward


def _patch_quantize(mod):
    original = getattr(mod, "quantize_dynamic", None)
    if original is None or getattr(original, "_observed", False):
        return

    def quantize_dynamic(model, *args, **kwargs):
        result = original(model, *args, **kwargs)
        try:
            quantized = [
                type(m).__module__ + "." + type(m).__name__
                for m in result.modules()
                if "quantized" in type(m).__module__
            ]
        except Exception:
            quantized = []
        _emit(
            {
                "event": "quantize_dynamic",
                "quantized_modules": quantized,
                "optimizer_steps": _STATE["optimizer_steps"],
            }
        )
        key = f"quantized:{id(result)}"
        _STATE["forward_after"][key] = 0
        _count_forward(result, key)
        # A model's own methods may call `self.forward(x)` directly, which skips the model's
        # hooks: the quantized layer classes count their forward passes (a class-level wrapper,
        # not a hook: torch.jit.trace accepts only plain functions as submodule hooks).
        _STATE["forward_after"].setdefault("quantized:layers", 0)
        try:
            for m in result.modules():
                if m is not result and "quantized" in type(m).__module__:
                    _count_layer_class(type(m))
        except Exception:
            pass
        return result

    quantize_dynamic._observed = True
    mod.quantize_dynamic = quantize_dynamic


def _patch_optim(mod):
    register = getattr(mod, "register_optimizer_step_post_hook", None)
    if register is None:
        return

    def count(optimizer, args, kwargs):
        _STATE["optimizer_steps"] += 1

    register(count)


def _numbers(values):
    try:
        return [float(v) for v in values]
    except Exception:
        return None


def _patch_cross_validation(mod):
    for fname in ("cross_val_score", "cross_validate"):
        original = getattr(mod, fname, None)
        if original is None or getattr(original, "_observed", False):
            continue

        def wrapper(*args, _original=original, _fname=fname, **kwargs):
            result = _original(*args, **kwargs)
            try:
                if isinstance(result, dict):
                    scores = {
                        k: _numbers(v)
                        for k, v in result.items()
                        if k.startswith(("test_", "train_"))
                    }
                else:
                    scores = {"score": _numbers(result)}
                _emit(
                    {
                        "event": "cv_scores",
                        "function": _fname,
                        "scores": {k: v for k, v in scores.items() if v is not None},
                    }
                )
            except Exception:
                pass
            return result

        wrapper._observed = True
        setattr(mod, fname, wrapper)


_PATCHES = {
    "sklearn.model_selection": _patch_cross_validation,
    "optuna.study.study": _patch_optuna,
    "torch.nn.utils.prune": _patch_prune,
    "torch.ao.quantization.quantize": _patch_quantize,
    "torch.ao.quantization": _patch_quantize,
    "torch.quantization": _patch_quantize,
    "torch.optim.optimizer": _patch_optim,
}


class _PostImport(importlib.abc.MetaPathFinder):
    """Lets a module import normally, then applies its patch."""

    def find_spec(self, fullname, path, target=None):
        patch = _PATCHES.get(fullname)
        if patch is None:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module

        def exec_module(module):
            original_exec(module)
            try:
                patch(module)
            except Exception as err:
                _emit({"event": "hook.error", "module": fullname, "error": repr(err)})

        loader.exec_module = exec_module
        return spec


def _report():
    if _STATE["forward_after"]:
        _emit(
            {
                "event": "forward_calls",
                "counts": _STATE["forward_after"],
                "optimizer_steps": _STATE["optimizer_steps"],
            }
        )


def install():
    """Watch the imports of the patched modules and report forward-pass counts at exit."""
    sys.meta_path.insert(0, _PostImport())
    atexit.register(_report)


if __name__ == "sitecustomize":
    install()
