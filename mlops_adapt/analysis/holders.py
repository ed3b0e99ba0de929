"""Trainer objects: a class of the script that keeps the model it is given and trains it in a method.

`trainer = Trainer(model, lr); trainer.fit(X)` trains `model` itself: the class stores the very
object (`self.model = model`, or `model.to(device)`, which returns it) and its fit() runs the
backward passes or fits on that attribute. Read-only, cached on the scan.
"""

from __future__ import annotations

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import calls_in, dotted, iter_nodes, last_name, nodes_of, receiver
from mlops_adapt.analysis.sites import Scan

# Calls that return the very module they are called on (torch), so `self.model = model.to(device)`
# still holds the caller's object.
_SAME_OBJECT = frozenset({"to", "cuda", "cpu", "float", "double", "half", "train"})


def _stored_params(init: cst.FunctionDef) -> dict[str, str]:
    """{parameter: attribute} for `self.attr = param` (or `param.to(device)`) in __init__."""
    params = {p.name.value for p in init.params.params[1:]}
    stored: dict[str, str] = {}
    pairs = []
    for assign in nodes_of(init.body, cst.Assign):
        if len(assign.targets) != 1:
            continue
        target, value = assign.targets[0].target, assign.value
        if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements):
            pairs += [(t.value, v.value) for t, v in zip(target.elements, value.elements)]  # `self.model, self.args = model, args`
        else:
            pairs.append((target, value))
    for target, value in pairs:
        attr = dotted(target) or ""
        while (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
               and value.func.attr.value in _SAME_OBJECT):
            value = value.func.value
        if attr.startswith("self.") and attr.count(".") == 1 and isinstance(value, cst.Name) and value.value in params:
            stored.setdefault(value.value, attr)
    return stored


def _training_methods(cls: cst.ClassDef, attrs: set[str]) -> set[str]:
    """Methods that train one of `attrs`: a fit or backward pass in them (or in a method they call
    on self) while the attribute is used there."""
    methods = {f.name.value: f for f in cls.body.body if isinstance(f, cst.FunctionDef)}
    own_calls = {name: {last_name(c) for c in calls_in(f.body) if receiver(c) == "self"} & set(methods)
                 for name, f in methods.items()}
    trains: set[str] = set()
    for name in methods:
        reached, todo = {name}, [name]
        while todo:  # the methods this one reaches through self.<method>() calls
            for callee in own_calls[todo.pop()] - reached:
                reached.add(callee)
                todo.append(callee)
        bodies = [methods[m].body for m in reached]
        fits = any(last_name(c) in vocab.TRAINING_METHOD_CALLS for b in bodies for c in calls_in(b))
        uses = {dotted(n) for b in bodies for n in iter_nodes(b) if isinstance(n, cst.Attribute)} & attrs
        if fits and uses and name != "__init__":
            trains.add(name)
    return trains


def model_holders(scan: Scan) -> dict[str, tuple[set[str], set[str]]]:
    """{holder name: (model names it was built with, methods that train them)} for every
    `holder = Cls(model, ...)` of a class of the script that stores that argument and trains it."""
    cached = scan.__dict__.get("_model_holders")
    if cached is not None:
        return cached
    classes: dict[str, tuple[list[str], dict[str, str], set[str]]] = {}
    for cls in nodes_of(scan.module, cst.ClassDef):
        init = next((f for f in cls.body.body if isinstance(f, cst.FunctionDef) and f.name.value == "__init__"), None)
        if init is None:
            continue
        stored = _stored_params(init)
        methods = _training_methods(cls, set(stored.values())) if stored else set()
        if methods:
            order = [p.name.value for p in init.params.params[1:]]
            classes[cls.name.value] = (order, stored, methods)
    holders: dict[str, tuple[set[str], set[str]]] = {}
    for assign in nodes_of(scan.module, cst.Assign) if classes else ():
        value = assign.value
        if len(assign.targets) != 1 or not isinstance(value, cst.Call) or last_name(value) not in classes:
            continue
        holder = dotted(assign.targets[0].target)
        order, stored, methods = classes[last_name(value)]
        passed = {}
        for index, arg in enumerate(value.args):
            param = arg.keyword.value if arg.keyword else (order[index] if index < len(order) else None)
            if param in stored and dotted(arg.value):
                passed[param] = dotted(arg.value)
        if holder and passed:
            models, trains = holders.setdefault(holder, (set(), set()))
            models.update(passed.values())
            trains.update(methods)
    scan.__dict__["_model_holders"] = holders
    return holders


def trains_through_holder(call: cst.Call, var: str, scan: Scan) -> bool:
    """`trainer.fit(...)` where `trainer` was built with `var` and fit() trains it."""
    held = model_holders(scan).get(receiver(call) or "")
    return held is not None and var in held[0] and last_name(call) in held[1]
