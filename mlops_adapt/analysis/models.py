"""Finds the model objects a script trains, their framework, and where training ends."""

from __future__ import annotations

import libcst as cst

from mlops_adapt.analysis import names as vocab
from mlops_adapt.analysis.exprs import call_name, calls_in, code, last_name, names_in, nodes_of, receiver
from mlops_adapt.analysis.scan import Ctx, Scan, TrainedModel

_TORCH_CTORS = ("nn.Sequential", "torch.nn.Sequential", "Sequential")


def framework_of(ctor: str, scan: Scan) -> str | None:
    """'sklearn', 'torch', 'xgboost', 'lightgbm' or None for a constructor name."""
    short = ctor.rsplit(".", 1)[-1]
    if short in scan.nn_modules or ctor in _TORCH_CTORS and "torch" in scan.imported_modules:
        return "torch"
    qual = _qualify(ctor, scan)
    for lib in ("sklearn", "xgboost", "lightgbm", "catboost"):
        if qual.startswith(lib) and (short[:1].isupper() or short == "make_pipeline"):
            return lib
    if qual.startswith("torch"):
        return "torch" if short[:1].isupper() and short not in vocab.OPTIMIZER_NAMES else None
    if short in ("make_pipeline", "Pipeline"):
        return "sklearn"
    if short[:1].isupper() and short.endswith(vocab.MODEL_SUFFIXES) and "sklearn" in scan.imported_modules:
        return "sklearn"
    return None


def _qualify(name: str, scan: Scan) -> str:
    head, _, rest = name.partition(".")
    full = scan.imports.get(head, head)
    return f"{full}.{rest}" if rest else full


def _trains(stmt: cst.CSTNode, var: str, scan: Scan) -> bool:
    """True when this statement trains `var` (fit, a backward loop using it, or a trainer call)."""
    for call in calls_in(stmt):
        short = last_name(call)
        if short in vocab.TRAIN_METHODS and receiver(call) == var:
            return True
        args = {code(a.value) for a in call.args}
        if var in args and (short in scan.trainer_funcs or short in ("fit", "train", "cross_validate")):
            return True
    if isinstance(stmt, (cst.For, cst.While)):
        body_calls = calls_in(stmt.body)
        if any(last_name(c) == "backward" for c in body_calls) and var in names_in(stmt.body):
            return True
    return False


def _blocks(module: cst.Module):
    """(statements, ctx) for the module body and every function body."""
    yield list(module.body), Ctx()

    for func in nodes_of(module, cst.FunctionDef):
        if isinstance(func.body, cst.IndentedBlock):
            yield list(func.body.body), Ctx(function=func)


def find_trained_models(module: cst.Module, scan: Scan) -> list[TrainedModel]:
    """Models assigned from a known constructor and trained later in the same block."""
    found: list[TrainedModel] = []
    for body, ctx in _blocks(module):
        for index, stmt in enumerate(body):
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                    continue
                target = small.targets[0].target
                if not isinstance(target, cst.Name) or not isinstance(small.value, cst.Call):
                    continue
                ctor = call_name(small.value) or ""
                framework = framework_of(ctor, scan)
                if framework is None:
                    continue
                var = target.value
                trained_after = None
                for later in body[index + 1 :]:
                    if _trains(later, var, scan):
                        trained_after = later
                found.append(
                    TrainedModel(
                        var, ctor.rsplit(".", 1)[-1], framework, stmt, trained_after,
                        scan.line_of(stmt), scan.line_of(trained_after) if trained_after else None, ctx,
                    )
                )
    return found
