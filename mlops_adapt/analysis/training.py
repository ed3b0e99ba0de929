"""Training facts: calls that train, in-place weight updates, and what kind of loop encloses a statement."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import (
    all_statements,
    call_name,
    calls_in,
    code,
    iter_nodes,
    last_name,
    nodes_of,
    receiver,
)
from mlops_adapt.analysis.sites import Ctx

STEP_NAMES = re.compile(r"^(epoch|ep|e|i|it|iter|iteration|step|fold|k|round|n_iter|idx|t|epoch_idx|epoch_num)$")

BATCH_ITER = re.compile(r"loader|batch|dataset|zip\(|_iter|iterator", re.IGNORECASE)



def contains_training(node: cst.CSTNode) -> bool:
    for call in calls_in(node):
        short = last_name(call)
        if short in vocab.FIT_OR_BACKWARD and receiver(call):
            return True
    return False


def updates_in_place(node: cst.CSTNode) -> bool:
    """`w -= lr * grad` somewhere in `node`: weights updated in place, i.e. numpy training."""
    return any(isinstance(n, cst.AugAssign) and isinstance(n.operator, cst.SubtractAssign) for n in iter_nodes(node))


def updates_in_loop(node: cst.CSTNode) -> bool:
    """A `for ... in range(...)` loop that updates weights in place: a numpy training function."""
    return any(
        isinstance(loop.iter, cst.Call) and call_name(loop.iter) == "range" and updates_in_place(loop.body)
        for loop in nodes_of(node, cst.For)
    )


def has_backward(node: cst.CSTNode) -> bool:
    return any(last_name(c) in ("backward", "step") and receiver(c) for c in calls_in(node)) and any(
        last_name(c) == "backward" for c in calls_in(node)
    )


def in_epoch(ctx: Ctx) -> bool:
    return any(loop.kind in ("epoch", "batch") for loop in ctx.loops)


def sweeps_only(ctx: Ctx) -> bool:
    """Directly inside a value sweep that has its own run (and no other loop in between)."""
    return bool(ctx.loops) and ctx.loops[-1].kind == "sweep" and all(loop.kind == "sweep" for loop in ctx.loops)


def in_models(ctx: Ctx) -> bool:
    return any(loop.kind in ("models", "sweep") for loop in ctx.loops)


def while_counter(stmt: cst.While) -> str | None:
    for inner in all_statements(stmt.body):
        if isinstance(inner, cst.SimpleStatementLine):
            for small in inner.body:
                if (
                    isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign)
                    and isinstance(small.target, cst.Name) and code(small.value) == "1"
                    and STEP_NAMES.match(small.target.value)
                ):
                    return small.target.value
    return None


def runs_backward(node: cst.CSTNode) -> bool:
    """A `.backward()` call somewhere in the node: a torch training step."""
    return any(last_name(c) == "backward" for c in calls_in(node))


def backward_loop(stmt: cst.CSTNode) -> bool:
    """A for/while loop whose body runs a backward pass."""
    return isinstance(stmt, (cst.For, cst.While)) and runs_backward(stmt.body)
