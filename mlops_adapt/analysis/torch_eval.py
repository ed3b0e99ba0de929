"""Read-only analysis for model optimization: the trained torch model, and the statements that evaluate it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from mlops_adapt.analysis.exprs import assigned_names, call_name, calls_in, code, last_name, names_in
from mlops_adapt.analysis.models import find_trained_models
from mlops_adapt.analysis.scan import Scan

_LAYER_CTORS = ("Sequential", "Linear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN", "Transformer",
                "TransformerEncoder", "ModuleList", "ModuleDict")
_TRAINING_CALLS = frozenset({"backward", "step", "zero_grad", "fit", "partial_fit", "train"})
_SAVING = re.compile(r"(\bsave\w*\(|\.dump\(|\.write\w*\(|\bopen\(|\bremove\(|\bunlink\(|rmtree\(|\bsystem\()")
_TRACKING = re.compile(r"\b(mlflow|wandb|tensorboard|writer|SummaryWriter)\b")
_EXITS = (cst.Return, cst.Raise, cst.Break, cst.Continue)


@dataclass
class EvalPlan:
    """The trained model, where to insert the optimization, and the evaluation to repeat after it."""

    model: str
    insert_after: cst.BaseStatement  # the original statement after which the new code goes
    repeat: list[cst.BaseStatement] = field(default_factory=list)  # original statements to run again
    assigned: list[str] = field(default_factory=list)  # names those statements bind
    from_loop: bool = False  # the evaluation was taken from inside the training loop


def is_torch_model_ctor(ctor: str, scan: Scan) -> bool:
    short = ctor.rsplit(".", 1)[-1]
    if short in scan.nn_modules or short in _LAYER_CTORS:
        return True
    head = ctor.split(".")[0]
    return scan.imports.get(head, head).startswith("torchvision.models")


def _model_factories(module: cst.Module, scan: Scan) -> set[str]:
    """Module functions that build (and return) a torch model."""
    found: set[str] = set()
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            builds = any(is_torch_model_ctor(call_name(c) or "", scan) for c in calls_in(stmt.body))
            returns = "return" in code(stmt.body)
            if builds and returns:
                found.add(stmt.name.value)
    return found


def _blocks(module: cst.Module):
    """Every statement list: the module's and each function's (not class bodies)."""
    yield list(module.body)

    class _Funcs(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[list[cst.BaseStatement]] = []

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            if isinstance(node.body, cst.IndentedBlock):
                self.found.append(list(node.body.body))

    finder = _Funcs()
    module.visit(finder)
    yield from finder.found


def _trains(stmt: cst.CSTNode, var: str, scan: Scan, global_users: set[str]) -> bool:
    """True when the statement trains `var`: a backward loop using it, or a trainer call that reaches it."""
    if isinstance(stmt, (cst.For, cst.While)):
        calls = calls_in(stmt.body)
        if any(last_name(c) == "backward" for c in calls) and var in names_in(stmt.body):
            return True
    for call in calls_in(stmt):
        short = last_name(call) or ""
        if short in scan.trainer_funcs and (var in {code(a.value) for a in call.args} or short in global_users):
            return True
        if short in ("fit", "train") and (var in {code(a.value) for a in call.args} or _receiver_is(call, var)):
            return short == "fit" or bool(call.args)  # model.train() only switches mode
    return False


def _receiver_is(call: cst.Call, var: str) -> bool:
    return isinstance(call.func, cst.Attribute) and code(call.func.value) == var


def _functions_using(module: cst.Module, name: str) -> set[str]:
    """Module-level functions that read `name` as a global."""
    out = set()
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            params = {p.name.value for p in stmt.params.params}
            if name in names_in(stmt.body) and name not in params:
                out.add(stmt.name.value)
    return out


def find_torch_model(module: cst.Module, scan: Scan) -> tuple[str, list[cst.BaseStatement], int] | None:
    """(model variable, its statement list, index of the statement after which it is trained)."""
    best: tuple[int, str, list[cst.BaseStatement], int] | None = None
    factories = _model_factories(module, scan)
    known = {id(m.defined_at): m for m in find_trained_models(module, scan)}
    for body in _blocks(module):
        for index, stmt in enumerate(body):
            var = _model_assignment(stmt, scan, factories)
            if var is None:
                continue
            users = _functions_using(module, var)
            trained = None
            ctor_call = stmt.body[0].value  # type: ignore[union-attr]
            if isinstance(ctor_call, cst.Call) and (last_name(ctor_call) or "") in scan.trainer_funcs:
                trained = index  # `model = train_model(...)` returns a trained model
            for later_index in range(index + 1, len(body)):
                if _trains(body[later_index], var, scan, users):
                    trained = later_index
            if trained is None and id(stmt) in known and known[id(stmt)].trained_after is not None:
                target = known[id(stmt)].trained_after
                trained = next((i for i, s in enumerate(body) if s is target), None)
            if trained is None:
                continue
            line = scan.line_of(body[trained])
            if best is None or line >= best[0]:
                best = (line, var, body, trained)
    return (best[1], best[2], best[3]) if best else None


def _model_assignment(stmt: cst.BaseStatement, scan: Scan, factories: set[str]) -> str | None:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
        return None
    value = small.value
    # `Net().to(device)` builds the model too.
    while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and last_name(value) in ("to", "cpu", "double", "float"):
        value = value.func.value
    if not isinstance(value, cst.Call):
        return None
    name = call_name(value) or ""
    short = name.rsplit(".", 1)[-1]
    if is_torch_model_ctor(name, scan) or short in factories:
        return small.targets[0].target.value
    if short in scan.trainer_funcs and "model" in small.targets[0].target.value.lower():
        return small.targets[0].target.value
    return None


def _is_training(stmt: cst.CSTNode, scan: Scan) -> bool:
    for call in calls_in(stmt):
        short = last_name(call) or ""
        if short in _TRAINING_CALLS or short in scan.trainer_funcs:
            return True
    return False


def _binds(stmt: cst.BaseStatement) -> list[str]:
    out: list[str] = []

    class _Targets(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            out.extend(assigned_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            out.extend(assigned_names(node.target))  # type: ignore[arg-type]

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            out.extend(assigned_names(node.target))  # type: ignore[arg-type]

        def visit_For(self, node: cst.For) -> None:
            out.extend(assigned_names(node.target))  # type: ignore[arg-type]

        def visit_WithItem(self, node: cst.WithItem) -> None:
            if node.asname is not None:
                out.extend(assigned_names(node.asname.name))  # type: ignore[arg-type]

    stmt.visit(_Targets())
    return out


def _evaluation(candidates: list[cst.BaseStatement], model: str, scan: Scan, global_readers: set[str],
                stop_at_training: bool) -> tuple[list[cst.BaseStatement], list[str]]:
    """Statements that use the model (or results derived from it) without training, saving or tracking."""
    derived = {model}
    chosen: list[cst.BaseStatement] = []
    assigned: list[str] = []
    for stmt in candidates:
        text = code(stmt)
        if isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, _EXITS) for s in stmt.body):
            break
        if _is_training(stmt, scan):
            if stop_at_training:
                break
            continue
        if _SAVING.search(text) or _TRACKING.search(text) or _is_mode_switch(stmt, model):
            continue
        used = names_in(stmt)
        calls_reader = any((last_name(c) or "") in global_readers for c in calls_in(stmt))
        if used & derived or calls_reader:
            chosen.append(stmt)
            for name in _binds(stmt):
                if name != model:
                    derived.add(name)
                    if name not in assigned:
                        assigned.append(name)
    if not any(_does_work(s) for s in chosen):
        return [], []
    return chosen, assigned


def _is_mode_switch(stmt: cst.BaseStatement, model: str) -> bool:
    """`model.train()` / `model.to(device)`: statements that only change the model's mode or place."""
    return isinstance(stmt, cst.SimpleStatementLine) and bool(
        re.fullmatch(rf"{re.escape(model)}\.(train|to|cuda|cpu)\(.*\)\s*", code(stmt).strip())
    )


def _does_work(stmt: cst.BaseStatement) -> bool:
    text = code(stmt).strip()
    return not re.fullmatch(r"\w+\.eval\(\)", text)


def plan_evaluation(module: cst.Module, scan: Scan) -> EvalPlan | None:
    """The model, the insertion point after its training and evaluation, and the evaluation to repeat."""
    found = find_torch_model(module, scan)
    if found is None:
        return None
    model, body, trained = found
    readers = {f for f in _functions_using(module, model) if f not in scan.trainer_funcs}
    after = body[trained + 1 :]
    repeat, assigned = _evaluation(after, model, scan, readers, stop_at_training=True)
    if repeat:
        return EvalPlan(model, repeat[-1], repeat, assigned)
    loop = body[trained]
    if isinstance(loop, (cst.For, cst.While)) and isinstance(loop.body, cst.IndentedBlock):
        inner = [s for s in loop.body.body if not _has_backward(s)]
        repeat, assigned = _evaluation(inner, model, scan, readers, stop_at_training=False)
        if repeat:
            return EvalPlan(model, loop, repeat, assigned, from_loop=True)
    return EvalPlan(model, body[trained], [], [])


def _has_backward(stmt: cst.CSTNode) -> bool:
    return any(last_name(c) == "backward" for c in calls_in(stmt))
