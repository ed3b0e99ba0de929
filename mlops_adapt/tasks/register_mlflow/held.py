"""Where a trained model is held when it is not simply a local name: an element the script takes out
of a collection of models, the result of a function that trains a new model on each call, or
nowhere the recipe can name (and why)."""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from mlops_adapt.analysis.exprs import (
    all_statements,
    calls_in,
    code,
    dotted,
    is_literal,
    iter_nodes,
    last_name,
    nested_blocks,
    nodes_of,
)
from mlops_adapt.analysis.scan import Ctx, TrainedModel
from mlops_adapt.transforms.base import Unsupported

_DEFERRED = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.Lambda)


def _collections_of(loop: cst.For, model: TrainedModel) -> tuple[set[str], set[str], dict[str, int]]:
    """(dicts, lists, tupled) that hold the loop's models: the one it walks, and those it fills with
    them; `tupled` maps a dict filled with records (`results[dist] = (nll, bst)`) to the model's place in each."""
    dicts: set[str] = set()
    lists: set[str] = set()
    tupled: dict[str, int] = {}
    if model.defined_at is loop:  # `for name, model in MODELS.items()`: MODELS holds them
        walked = loop.iter
        if isinstance(walked, cst.Call) and isinstance(walked.func, cst.Attribute):
            walked = walked.func.value
            dicts.add(code(walked))
        else:
            lists.add(code(walked))
    for stmt in all_statements(loop.body):
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.Name) and small.value.value == model.var:
                for target in small.targets:
                    if isinstance(target.target, cst.Subscript):  # fitted[name] = model
                        dicts.add(code(target.target.value))
            if isinstance(small, cst.Assign) and isinstance(small.value, cst.Tuple):
                places = [i for i, e in enumerate(small.value.elements)
                          if isinstance(e.value, cst.Name) and e.value.value == model.var]
                for target in small.targets:
                    if isinstance(target.target, cst.Subscript) and len(places) == 1:  # results[k] = (nll, model)
                        tupled[code(target.target.value)] = places[0]
            for call in calls_in(small):
                held = [a for a in call.args if isinstance(a.value, cst.Name) and a.value.value == model.var]
                if last_name(call) == "append" and held and isinstance(call.func, cst.Attribute):
                    lists.add(code(call.func.value))  # fitted.append(model)
    return dicts, lists, tupled


def _chosen_key(key: cst.BaseExpression) -> bool:
    """`best_name`, `int(np.argmax(scores))`: a key the script computed; `models[0]` or `fitted["rf"]`
    only looks at one element, it does not choose it."""
    return not (is_literal(key) or isinstance(key, cst.UnaryOperation))


def _index_of(node: cst.Subscript) -> cst.BaseExpression | None:
    """The one index of `a[i]`, or None for a slice or several indices."""
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _picked_record(node: cst.CSTNode, tupled: dict[str, int]) -> bool:
    """`results[best_dist][1]`: the model's place in the record a computed key picks out of `results`."""
    if not isinstance(node, cst.Subscript) or not isinstance(node.value, cst.Subscript):
        return False
    place, key = _index_of(node), _index_of(node.value)
    return (code(node.value.value) in tupled and key is not None and _chosen_key(key)
            and isinstance(place, cst.Integer) and int(place.value) == tupled[code(node.value.value)])


def _held_in(value: cst.BaseExpression, dicts: set[str], lists: set[str]) -> bool:
    """`fitted`, or `dict(labelled)` over a list of (label, model) pairs: a collection of the models."""
    if isinstance(value, cst.Call) and last_name(value) in ("dict", "OrderedDict") and len(value.args) == 1:
        return code(value.args[0].value) in lists
    return code(value) in dicts | lists


def kept_from_collection(tree: cst.Module, loop: cst.For, model: TrainedModel) -> tuple[cst.CSTNode, str] | None:
    """(statement, expression) where, after the loop that trains the models, the script takes one of
    them out of the collection holding them: `best = fitted[best_name]`, `joblib.dump(fitted[k], ...)`,
    `best = max(models, key=...)` over a list of models. None when it takes none (or all of them)."""
    dicts, lists, tupled = _collections_of(loop, model)
    if not dicts and not lists and not tupled:
        return None
    block = next((b for b in nested_blocks(list(tree.body), into_defs=True) if any(s is loop for s in b)), None)
    if block is None:
        return None
    index = next(i for i, s in enumerate(block) if s is loop)
    for stmt in block[index + 1:]:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            pairs = assigned_pairs(small)
            target = pairs[0][0] if len(pairs) == 1 and isinstance(pairs[0][0], cst.Name) else None
            value = pairs[0][1] if target is not None else None
            if (target is not None and isinstance(value, cst.Call) and last_name(value) in ("max", "min")
                    and value.args and code(value.args[0].value) in lists):
                return stmt, target.value  # best = max(fitted, key=lambda m: m.score(X_test, y_test))
            for node in iter_nodes(small, skip=_DEFERRED):
                picked = _picked_record(node, tupled)
                if picked:
                    # `bst = results[best_dist][1]`: the model's place in the record the script chose.
                    return (stmt, target.value) if target is not None and value is node else (stmt, code(node))
                if (isinstance(node, cst.Subscript) and _held_in(node.value, dicts, lists) and len(node.slice) == 1
                        and isinstance(node.slice[0].slice, cst.Index) and _chosen_key(node.slice[0].slice.value)):
                    if target is not None and value is node:
                        return stmt, target.value  # best_model = fitted[best_name]
                    return stmt, code(node)
    return None




def assigned_pairs(small: cst.BaseSmallStatement) -> list:
    """(target, value) pairs of `a = b` and `a, b = c, d`."""
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return []
    left, right = small.targets[0].target, small.value
    if isinstance(left, cst.Tuple) and isinstance(right, cst.Tuple) and len(left.elements) == len(right.elements):
        return [(a.value, b.value) for a, b in zip(left.elements, right.elements)]
    return [(left, right)]


def _call_sites(tree: cst.Module, func: cst.FunctionDef) -> list[tuple[cst.Call, cst.BaseStatement, bool]]:
    """(call, the statement holding it, whether it runs repeatedly) for each call of `func` outside it.

    A call repeats when it sits in a loop or a comprehension (of the caller, not of `func` itself)."""
    name = func.name.value
    # A module function is called by its bare name: `model.train()` is a torch mode switch, not `train()`.
    module_level = any(stmt is func for stmt in tree.body)
    inside = {id(c) for c in calls_in(func)}
    repeated: set[int] = set()
    for loop in nodes_of(tree, (cst.For, cst.While)):
        repeated |= {id(c) for c in calls_in(loop.body)}
    for node in iter_nodes(tree, skip=(cst.Lambda,)):
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            repeated |= {id(c) for c in calls_in(node)}
    sites = []
    for stmt in all_statements(tree):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for call in calls_in(stmt):
            if last_name(call) == name and id(call) not in inside \
                    and not (module_level and isinstance(call.func, cst.Attribute)):
                sites.append((call, stmt, id(call) in repeated))
    return sites


def _returns(func: cst.FunctionDef, var: str) -> bool:
    """`return var` (alone) somewhere in the function's own body."""
    return any(isinstance(r.value, cst.Name) and r.value.value == var for r in nodes_of(func.body, cst.Return))


def _enclosing_function(tree: cst.Module, stmt: cst.CSTNode) -> cst.FunctionDef | None:
    """The innermost def whose body holds the statement."""
    found = None
    for func in nodes_of(tree, cst.FunctionDef):
        holds = any(s is stmt for s in all_statements(func.body))
        if holds and (found is None or any(f is func for f in nodes_of(found.body, cst.FunctionDef))):
            found = func
    return found


def returned_by_repeated_call(tree: cst.Module, model: TrainedModel) -> TrainedModel:
    """The model as the script keeps it when a function builds and trains it anew on each call.

    `def train(C): clf = LR(C=C); clf.fit(X, y); return clf`, called as `model = train(C)` in a loop:
    the caller's `model` (and what the loop keeps of it) is the model to register; logging inside
    train() would add one version per call. Unchanged when the function runs once."""
    func = model.ctx.function
    if func is None or not any(s is model.defined_at for s in all_statements(func.body)):
        return model  # built elsewhere (self.model in __init__) and only trained here: one model
    sites = _call_sites(tree, func)
    if len(sites) <= 1 and not any(repeats for _, _, repeats in sites):
        return model
    name = func.name.value
    how = "in a loop" if any(r for _, _, r in sites) else f"{len(sites)} times"
    held = [(call, stmt) for call, stmt, _ in sites if _result_name(stmt, call)]
    if _returns(func, model.var) and len(sites) == 1 and held:
        call, stmt = held[0]
        return replace(model, var=_result_name(stmt, call), defined_at=stmt, trained_after=stmt,
                       ctx=Ctx(function=_enclosing_function(tree, stmt)))
    raise Unsupported(
        f"`{name}()` builds and trains a new `{model.var}` on each call and is called {how}: registering it "
        f"inside `{name}()` would add one model version per call, and the script keeps no single result "
        "of those calls in a name the recipe can register"
    )


def _result_name(stmt: cst.BaseStatement, call: cst.Call) -> str | None:
    """`model` in `model = train(C)`: the name the call's result is kept in."""
    for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
        if isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1 \
                and isinstance(small.targets[0].target, cst.Name):
            return small.targets[0].target.value
    return None


def why_unheld(tree: cst.Module) -> str:
    """Why no trained model could be found in a name: the first training call's receiver says."""
    for call in calls_in(tree):
        if last_name(call) not in ("fit", "partial_fit") or not isinstance(call.func, cst.Attribute):
            continue
        held = call.func.value
        text = code(call)
        text = text if len(text) <= 60 else text[:57] + "..."
        if isinstance(held, cst.Call):
            return (f"the model is trained inline (`{text}`) and never kept in a name, so there is no trained "
                    "model object to register; assign it to a variable first")
        if isinstance(held, cst.Subscript):
            return (f"the trained model is an element of a collection (`{code(held)}`), not a name the recipe "
                    "can follow; keep the model to register in a variable")
        if isinstance(held, cst.Attribute) and not (dotted(held) or "").startswith("self."):
            return f"the trained model lives in an attribute (`{code(held)}`) the recipe cannot follow"
    return "the trained model is not held in a local variable (e.g. it lives in self.model or a trainer object)"
