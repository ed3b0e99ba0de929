"""Read-only analysis for model optimization: the trained torch model, and the statements that evaluate it."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import (
    assigned_names,
    call_name,
    calls_in,
    code,
    last_name,
    names_in,
    nodes_of,
    string_value,
)
from mlops_adapt.analysis.models import find_trained_models, model_registries
from mlops_adapt.analysis.scan import Scan
from mlops_adapt.analysis.training import backward_loop, runs_backward

_LAYER_CTORS = ("Sequential", "Linear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN", "Transformer",
                "TransformerEncoder", "ModuleList", "ModuleDict")
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
    renames: dict[str, str] = field(default_factory=dict)  # trainer parameter -> the caller's name
    # The results are not in scope at the insertion point: evaluate once before the change too.
    needs_before: bool = False
    # Names the evaluation binds to what evaluates (an evaluator engine), not to results to compare.
    tools: list[str] = field(default_factory=list)


def is_torch_model_ctor(ctor: str, scan: Scan) -> bool:
    short = ctor.rsplit(".", 1)[-1]
    if short in scan.nn_modules or short in _LAYER_CTORS:
        return True
    head = ctor.split(".")[0]
    return scan.imports.get(head, head).startswith("torchvision.models")


def _model_factories(module: cst.Module, scan: Scan) -> set[str]:
    """Module functions that build (and return) a torch model, and registries of model classes,
    named with empty brackets (`MODELS[]` for `MODELS[cfg["name"]](**params)`)."""
    found = {f"{name}[]" for name in _model_registries(module, scan)}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef) and _returns_a_model(stmt, scan, found):
            found.add(stmt.name.value)
    return found


def _model_registries(module: cst.Module, scan: Scan) -> set[str]:
    """Module dicts of torch model classes (`MODELS[name](**params)` builds one)."""
    return {name for name, cls in model_registries(module, scan).items() if is_torch_model_ctor(cls, scan)}


def _returns_a_model(func: cst.FunctionDef, scan: Scan, registries: set[str] = frozenset()) -> bool:
    """The function returns a torch model it builds: `return Net()`, or `return model` where `model`
    was assigned a constructor call (`.to(device)` and the like allowed). A function that builds a
    model and returns something else (`return history[-1]`, a dict of results) is not a factory."""
    def builds(value: cst.BaseExpression | None) -> bool:
        while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                and last_name(value) in ("to", "cpu", "cuda", "double", "float", "train", "eval"):
            value = value.func.value
        return isinstance(value, cst.Call) and (
            is_torch_model_ctor(call_name(value) or "", scan) or _from_registry(value, registries))

    models = {
        name for assign in _assignments(func.body) if builds(assign.value)
        for t in assign.targets for name in assigned_names(t.target)
    }
    returned = [r.value for r in nodes_of(func.body, cst.Return) if r.value is not None]
    return any(
        builds(value) or (isinstance(value, cst.Name) and value.value in models)
        or (isinstance(value, cst.Tuple) and any(isinstance(e.value, cst.Name) and e.value.value in models
                                                 for e in value.elements))
        for value in returned
    )


def _from_registry(call: cst.Call, registries: set[str]) -> bool:
    """`MODELS[name](...)`, with `MODELS[]` among the registries."""
    return isinstance(call.func, cst.Subscript) and f"{code(call.func.value)}[]" in registries


def _blocks(module: cst.Module):
    """Every statement list: the module's, its `if __name__ == "__main__":` block's, and each function's."""
    yield list(module.body)
    for stmt in module.body:
        if isinstance(stmt, (cst.If, cst.With)) and isinstance(stmt.body, cst.IndentedBlock):
            yield list(stmt.body.body)
    for func in nodes_of(module, cst.FunctionDef):
        if isinstance(func.body, cst.IndentedBlock):
            yield list(func.body.body)


def mentions(node: cst.CSTNode, model: str) -> bool:
    """True when the node uses the model: a bare name, or an attribute such as `self.model`."""
    if "." in model:
        return bool(re.search(rf"(?<![\w.]){re.escape(model)}\b", code(node)))
    return model in names_in(node)


# An optimizer parameter that defaults to None: the function trains only when it is given one.
_OPTIMIZER_PARAM = re.compile(r"(optim\w*|opt|\w*_optimizer)")


def optional_optimizers(module: cst.Module) -> dict[str, tuple[int, str]]:
    """Script functions that train only when passed an optimizer (`def run_epoch(model, x, y,
    optimizer=None)`, the shared train/eval epoch of many examples): name -> (position, parameter)."""
    found: dict[str, tuple[int, str]] = {}
    for func in nodes_of(module, cst.FunctionDef):
        for index, param in enumerate(func.params.params):
            default = param.default
            if isinstance(default, cst.Name) and default.value == "None" and _OPTIMIZER_PARAM.fullmatch(param.name.value):
                found[func.name.value] = (index, param.name.value)
    return found


def _without_optimizer(call: cst.Call, optional: dict[str, tuple[int, str]]) -> bool:
    """The call leaves out (or passes None for) the optimizer its function trains with: it evaluates."""
    where = optional.get(last_name(call) or "")
    if where is None:
        return False
    if any(a.star for a in call.args):
        return False  # `run_epoch(*args)`: cannot tell
    position, name = where
    positional = [a for a in call.args if a.keyword is None]
    given = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)
    if given is None and len(positional) > position:
        given = positional[position].value
    return given is None or (isinstance(given, cst.Name) and given.value == "None")


def _trains(stmt: cst.CSTNode, var: str, scan: Scan, global_users: set[str],
            optional: dict[str, tuple[int, str]] | None = None, builders: frozenset[str] = frozenset()) -> bool:
    """True when the statement trains `var`: a backward loop using it, or a trainer call that reaches it
    (not one that leaves out the optimizer the trainer needs to train: that call evaluates, nor one
    that only builds a training engine: the engine's run trains)."""
    if backward_loop(stmt) and mentions(stmt.body, var):
        return True
    for call in calls_in(stmt):
        short = last_name(call) or ""
        if _without_optimizer(call, optional or {}) or short in builders:
            continue
        if short in scan.trainer_funcs and (var in {code(a.value) for a in call.args} or short in global_users):
            return True
        if _starts_training(call, var, scan):
            return True
        if short in ("fit", "train") and (var in {code(a.value) for a in call.args} or _receiver_is(call, var)):
            return short == "fit" or bool(call.args)  # model.train() only switches mode
    return False


def _starts_training(call: cst.Call, var: str, scan: Scan) -> bool:
    """`mp.Process(target=train, args=(rank, model))`, `mp.spawn(train, args=(model,))`: a process or
    thread runs a training function on the model (in shared memory, as in Hogwild)."""
    target = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "target"), None)
    if target is None and last_name(call) == "spawn" and call.args and call.args[0].keyword is None:
        target = call.args[0].value
    if not (isinstance(target, cst.Name) and target.value in scan.trainer_funcs):
        return False
    given = [a.value for a in call.args if a.keyword is not None and a.keyword.value in ("args", "kwargs")]
    for value in given:
        elements = value.elements if isinstance(value, (cst.Tuple, cst.List, cst.Dict)) else []
        for element in elements:
            if code(element.value) == var:
                return True
    return False


# Methods that run a training engine built around the model (Ignite's `trainer.run(loader, max_epochs=...)`).
_ENGINE_RUNS = frozenset({"run", "fit", "train"})
# Library functions that build such an engine.
_LIBRARY_ENGINE_BUILDERS = frozenset({"create_supervised_trainer"})


def engine_builders(module: cst.Module, scan: Scan) -> frozenset[str]:
    """Functions that build a training engine rather than train: the backward pass runs only in a
    nested function they hand back (`def create_supervised_trainer(model, optimizer, loss_fn):`
    ... `return Engine(_update)`), so the model is trained when the engine runs, not when it is built."""
    found = {name for name, qualified in scan.imports.items() if qualified.rsplit(".", 1)[-1] in _LIBRARY_ENGINE_BUILDERS}
    for func in module.body:
        if not isinstance(func, cst.FunctionDef):
            continue
        nested = [f for f in nodes_of(func.body, cst.FunctionDef)]
        inner = {id(c) for f in nested for c in calls_in(f)}
        own = [c for c in calls_in(func.body) if id(c) not in inner]
        trains_inside = any(last_name(c) in ("backward", "step") for f in nested for c in calls_in(f))
        trains_itself = any(last_name(c) in ("backward", "step") or last_name(c) in scan.trainer_funcs for c in own)
        returns = any(r.value is not None for r in nodes_of(func.body, cst.Return))
        if trains_inside and not trains_itself and returns:
            found.add(func.name.value)
    return frozenset(found)


def _engine_built(stmt: cst.BaseStatement, var: str, builders: frozenset[str]) -> str | None:
    """`trainer = create_supervised_trainer(model, optimizer, loss)`: the engine's name, or None."""
    if not (builders and isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name) \
            and isinstance(small.value, cst.Call) and last_name(small.value) in builders \
            and any(code(a.value) == var for a in small.value.args):
        return small.targets[0].target.value
    return None


def _runs_engine(stmt: cst.BaseStatement, engines: set[str]) -> str | None:
    """The engine that the statement runs (`trainer.run(train_loader, max_epochs=5)`), or None."""
    return next((receiver_of(c) for c in calls_in(stmt)
                 if receiver_of(c) in engines and last_name(c) in _ENGINE_RUNS), None)


def _receiver_is(call: cst.Call, var: str) -> bool:
    return isinstance(call.func, cst.Attribute) and code(call.func.value) == var


def _functions_using(module: cst.Module, name: str) -> set[str]:
    """Module-level functions that read `name` as a global (methods, for an attribute `self.x`)."""
    out = set()
    if "." in name:
        for cls in module.body:
            if isinstance(cls, cst.ClassDef):
                for method in cls.body.body:
                    if isinstance(method, cst.FunctionDef) and mentions(method.body, name):
                        out.add(method.name.value)
        return out
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            params = {p.name.value for p in stmt.params.params}
            if name in names_in(stmt.body) and name not in params:
                out.add(stmt.name.value)
    return out


@dataclass
class _Held:
    """A model held by an object of the script's own class: `trainer.model` after `trainer.fit(...)`."""

    model: str  # e.g. "trainer.model"
    body: list[cst.BaseStatement]
    trained: int
    readers: set[str]  # the class's methods that use the model without training it
    training: set[str]  # the class's methods that train it
    owner: str  # the object, e.g. "trainer"


def _class_methods(cls: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    if not isinstance(cls.body, cst.IndentedBlock):
        return {}
    return {m.name.value: m for m in cls.body.body if isinstance(m, cst.FunctionDef)}


def _training_methods(methods: dict[str, cst.FunctionDef]) -> set[str]:
    """Methods that train: a backward pass, an optimizer step or a `.fit(`, directly or through `self.other()`
    (not through a call that turns the other's training off: `self._run(X, y, train=False)`)."""
    training = {
        name for name, m in methods.items()
        if name != "__init__" and any(last_name(c) in vocab.TRAINING_METHOD_CALLS for c in calls_in(m.body))
    }
    flags = {name: flag for name in training if (flag := _training_flag(methods[name])) is not None}
    changed = True
    while changed:
        changed = False
        for name, m in methods.items():
            if name in training or name == "__init__":
                continue
            if any(
                code(c.func).startswith("self.") and last_name(c) in training
                and not _flag_off(c, flags.get(last_name(c) or ""))
                for c in calls_in(m.body)
            ):
                training.add(name)
                changed = True
    return training


def _reading_methods(methods: dict[str, cst.FunctionDef], attr: str, training: set[str]) -> set[str]:
    """Methods that use `self.attr` without training it: directly, or through another method
    (`def evaluate(self, X, y): return self._run(X, y, train=False)`)."""
    flags = {name: flag for name in training if (flag := _training_flag(methods[name])) is not None}
    readers = {
        name for name, m in methods.items()
        if name not in training and name != "__init__" and mentions(m.body, f"self.{attr}")
    }
    changed = True
    while changed:
        changed = False
        for name, m in methods.items():
            if name in readers or name in training or name == "__init__":
                continue
            for c in calls_in(m.body):
                callee = last_name(c) or ""
                if code(c.func).startswith("self.") and (
                    callee in readers or (callee in flags and _flag_off(c, flags[callee])
                                          and mentions(methods[callee].body, f"self.{attr}"))
                ):
                    readers.add(name)
                    changed = True
                    break
    return readers


def _training_flag(method: cst.FunctionDef) -> tuple[int, str] | None:
    """(position after self, name) of the parameter that guards every training step of a shared
    train/eval method (`def _run(self, X, y, train):` ... `if train: loss.backward()`), or None."""
    params = [p.name.value for p in method.params.params[1:]]
    steps = [c for c in calls_in(method.body) if last_name(c) in vocab.TRAINING_METHOD_CALLS]
    guarded: set[int] = set()
    for branch in nodes_of(method.body, cst.If):
        if isinstance(branch.test, cst.Name) and branch.test.value in params:
            inner = {id(c) for c in calls_in(branch.body)}
            if all(id(c) in inner for c in steps):
                return params.index(branch.test.value), branch.test.value
            guarded |= inner
    return None


def _flag_off(call: cst.Call, flag: tuple[int, str] | None) -> bool:
    """The call passes a literal False for the method's training flag: it only evaluates."""
    if flag is None:
        return False
    position, name = flag
    positional = [a for a in call.args if a.keyword is None]
    if any(a.star for a in call.args):
        return False
    given = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == name), None)
    if given is None and len(positional) > position:
        given = positional[position].value
    return isinstance(given, cst.Name) and given.value == "False"


def _model_attributes(cls: cst.ClassDef, scan: Scan, factories: set[str]) -> dict[str, int | None]:
    """`self.x` attributes of a class holding a torch model: attr -> None when the class builds it,
    or the __init__ parameter index (after self) it is assigned from."""
    methods = _class_methods(cls)
    init = methods.get("__init__")
    params = [p.name.value for p in init.params.params[1:]] if init is not None else []
    # `self.module_ = self._build(n_features, n_classes)`: a method of the class that returns a new model.
    factories = set(factories) | {name for name, m in methods.items() if _returns_a_model(m, scan)}
    found: dict[str, int | None] = {}
    for method in methods.values():
        for target, value in _attribute_pairs(method.body):
            if not (isinstance(target, cst.Attribute) and code(target.value) == "self"):
                continue
            while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and last_name(value) == "to":
                value = value.func.value
            if isinstance(value, cst.Call) and (
                is_torch_model_ctor(call_name(value) or "", scan) or last_name(value) in factories
            ):
                found.setdefault(target.attr.value, None)
            elif method is init and isinstance(value, cst.Name) and value.value in params:
                found.setdefault(target.attr.value, params.index(value.value))
    return found


def _assignments(node: cst.CSTNode) -> list[cst.Assign]:
    return nodes_of(node, cst.Assign)


def _attribute_pairs(node: cst.CSTNode) -> list[tuple[cst.BaseExpression, cst.BaseExpression]]:
    """(target, value) of each single assignment, tuples unpacked element by element
    (`self.model, self.optimizer = model, optimizer` binds `self.model` to `model`)."""
    pairs = []
    for assign in _assignments(node):
        if len(assign.targets) != 1:
            continue
        target, value = assign.targets[0].target, assign.value
        if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)) \
                and len(target.elements) == len(value.elements) \
                and not any(isinstance(e, cst.StarredElement) for e in (*target.elements, *value.elements)):
            pairs += [(t.value, v.value) for t, v in zip(target.elements, value.elements)]
        else:
            pairs.append((target, value))
    return pairs


def _held_models(module: cst.Module, scan: Scan, factories: set[str]) -> list[_Held]:
    """Models held by instances of the script's classes and trained through a method call on the instance."""
    classes = {c.name.value: c for c in module.body if isinstance(c, cst.ClassDef) and c.name.value not in scan.nn_modules}
    found: list[_Held] = []
    for cls_name, cls in classes.items():
        methods = _class_methods(cls)
        training = _training_methods(methods)
        attributes = _model_attributes(cls, scan, factories)
        if not training or not attributes:
            continue
        for body in _blocks(module):
            models_here: set[str] = set()
            for index, stmt in enumerate(body):
                var = _model_assignment(stmt, scan, factories)
                if var is not None:
                    models_here.add(var)
                obj, call = _instantiation(stmt, cls_name)
                step = None
                if obj is None:
                    obj, step = _pipeline_step(stmt, cls_name, body[index + 1:])
                if obj is None or (call is None and step is None):
                    continue
                if step is not None:
                    # Inside a Pipeline, the estimator is built and trained by the pipeline's fit.
                    found += _held_in_pipeline(body, index, obj, step, attributes, methods, training)
                    continue
                positional = [a for a in call.args if a.keyword is None]
                init = methods.get("__init__")
                params = [p.name.value for p in init.params.params[1:]] if init is not None else []
                for attr, param_index in attributes.items():
                    if param_index is not None:
                        # `Trainer(model, args)` or `Trainer(model=model, args=args)`.
                        arg = positional[param_index] if param_index < len(positional) else next(
                            (a for a in call.args if a.keyword is not None and a.keyword.value == params[param_index]),
                            None)
                        if arg is None or not (isinstance(arg.value, cst.Name) and arg.value.value in models_here):
                            continue
                    trained = None
                    for later in range(index + 1, len(body)):
                        if _assigns_name(body[later], obj):
                            break
                        if any(
                            isinstance(c.func, cst.Attribute) and code(c.func.value) == obj and last_name(c) in training
                            for c in calls_in(body[later])
                        ):
                            trained = later
                    if trained is None:
                        continue
                    readers = _reading_methods(methods, attr, training)
                    if "fit" in methods and "predict" in methods:
                        readers |= _ESTIMATOR_READERS  # a scikit-learn style estimator: `clf.score(X, y)`
                    found.append(_Held(f"{obj}.{attr}", body, trained, readers, training, obj))
    return found


# What scikit-learn calls on an estimator to use it (`pipe.score(X, y)` reaches the step's predict).
_ESTIMATOR_READERS = frozenset({"predict", "predict_proba", "predict_log_proba", "decision_function", "score",
                                "transform"})


def _pipeline_step(stmt: cst.BaseStatement, cls_name: str,
                   following: list[cst.BaseStatement]) -> tuple[str | None, str | None]:
    """`pipe = Pipeline([..., ("net", Cls(...))])` (or `make_pipeline(..., Cls(...))`) with a later
    `net = pipe.named_steps["net"]` (`pipe[-1]`, `pipe.steps[-1][1]`): the pipeline and the name
    the script gives its fitted step; (None, None) otherwise."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None, None
    small = stmt.body[0]
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
        return None, None
    if not (isinstance(small.value, cst.Call) and last_name(small.value) in ("Pipeline", "make_pipeline")):
        return None, None
    if not any(last_name(c) == cls_name for c in calls_in(small.value)):
        return None, None
    obj = small.targets[0].target.value
    name, last = _step_name(small.value, cls_name)
    for later in following:
        if not (isinstance(later, cst.SimpleStatementLine) and len(later.body) == 1):
            continue
        assign = later.body[0]
        if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name) \
                and isinstance(assign.value, (cst.Subscript, cst.Attribute)) and not calls_in(assign.value) \
                and re.match(rf"{re.escape(obj)}\b", code(assign.value)):
            # The step taken must be the estimator's: by its name, or as the last step.
            access = code(assign.value)[len(obj):]
            if (name is not None and re.search(rf"""["']{re.escape(name)}["']|\.{re.escape(name)}\b""", access)) \
                    or (last and "-1" in access):
                return obj, assign.targets[0].target.value
    return None, None


def _step_name(pipeline: cst.Call, cls_name: str) -> tuple[str | None, bool]:
    """(the step's name, whether it is the last step) of the `Cls(...)` step in `Pipeline([(name, Cls(...)), ...])`
    or `make_pipeline(..., Cls(...))` (whose step names are the lowercased class names)."""
    if last_name(pipeline) == "make_pipeline":
        steps = [a.value for a in pipeline.args if a.keyword is None]
        last = bool(steps) and isinstance(steps[-1], cst.Call) and last_name(steps[-1]) == cls_name
        return cls_name.lower(), last
    listed = pipeline.args[0].value if pipeline.args else None
    if not isinstance(listed, (cst.List, cst.Tuple)):
        return None, False
    for position, element in enumerate(listed.elements):
        pair = element.value
        if isinstance(pair, cst.Tuple) and len(pair.elements) == 2 and isinstance(pair.elements[1].value, cst.Call) \
                and last_name(pair.elements[1].value) == cls_name:
            return string_value(pair.elements[0].value), position == len(listed.elements) - 1
    return None, False


def _held_in_pipeline(body: list[cst.BaseStatement], index: int, pipe: str, step: str,
                      attributes: dict[str, int | None], methods: dict[str, cst.FunctionDef],
                      training: set[str]) -> list[_Held]:
    """The model a pipeline's step holds (`net.module_`), trained by the pipeline's last `pipe.fit(...)`."""
    trained = None
    for later in range(index + 1, len(body)):
        if _assigns_name(body[later], pipe):
            break
        if any(receiver_of(c) == pipe and last_name(c) in training for c in calls_in(body[later])):
            trained = later
    if trained is None:
        return []
    found = []
    for attr, param_index in attributes.items():
        if param_index is not None:
            continue  # a model handed to the estimator: it is the script's, not one the step builds
        readers = {
            name for name, m in methods.items()
            if name not in training and name != "__init__" and mentions(m.body, f"self.{attr}")
        } | _ESTIMATOR_READERS
        found.append(_Held(f"{step}.{attr}", body, trained, readers, training, pipe))
    return found


def _instantiation(stmt: cst.BaseStatement, cls_name: str) -> tuple[str | None, cst.Call | None]:
    """`obj = Cls(...)` (or `obj = Cls(...).to(device)`): the object name and the constructor call."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None, None
    small = stmt.body[0]
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
        return None, None
    value = small.value
    while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and last_name(value) in ("to", "cpu"):
        value = value.func.value
    if isinstance(value, cst.Call) and last_name(value) == cls_name:
        return small.targets[0].target.value, value
    return None, None


def _assigns_name(stmt: cst.BaseStatement, name: str) -> bool:
    return name in _binds(stmt)


def find_torch_model(module: cst.Module, scan: Scan) -> tuple[str, list[cst.BaseStatement], int] | None:
    """(model variable, its statement list, index of the statement after which it is trained)."""
    found = _find_model(module, scan)
    if found is None:
        return None
    return found[0], found[1], found[2]


def _find_model(module: cst.Module, scan: Scan):
    """(model, statement list, index of the training statement, the holder if an object holds it)."""
    factories = _model_factories(module, scan)
    optional = optional_optimizers(module)
    builders = engine_builders(module, scan)
    held = _held_models(module, scan, factories)
    if held:
        # A model trained through its holder's method is evaluated where the holder is used: the
        # latest such training wins over the training loop inside the class.
        best_held = max(held, key=lambda h: scan.line_of(h.body[h.trained]))
        return best_held.model, best_held.body, best_held.trained, best_held
    best: tuple[int, str, list[cst.BaseStatement], int] | None = None
    training_factories = {
        f.name.value for f in module.body
        if isinstance(f, cst.FunctionDef) and f.name.value in factories
        and any(last_name(c) in ("backward", "fit") for c in calls_in(f.body))
    }
    known = {id(m.defined_at): m for m in find_trained_models(module, scan)}
    attributes = _attribute_models(module, scan, factories)
    method_bodies = [list(m.body.body) for m in _methods(module) if isinstance(m.body, cst.IndentedBlock)]
    for body in method_bodies:
        for attr in attributes:
            users = _functions_using(module, attr)
            trained = None
            for index, stmt in enumerate(body):
                if _trains(stmt, attr, scan, users, optional) and not isinstance(stmt, cst.FunctionDef):
                    trained = index
            if trained is not None:
                line = scan.line_of(body[trained])
                if best is None or line >= best[0]:
                    best = (line, attr, body, trained)
    optimized = _optimized_models(module)
    for body in _blocks(module):
        built: set[str] = set()
        for index, stmt in enumerate(body):
            var = _model_assignment(stmt, scan, factories) or _alias_of(stmt, built)
            if var is None:
                continue
            built.add(var)
            users = _functions_using(module, var)
            trained = None
            ctor_call = stmt.body[0].value  # type: ignore[union-attr]
            while isinstance(ctor_call, cst.Call) and isinstance(ctor_call.func, cst.Attribute) \
                    and last_name(ctor_call) in ("to", "cpu", "double", "float"):
                ctor_call = ctor_call.func.value
            if isinstance(ctor_call, cst.Call) and (
                (last_name(ctor_call) or "") in scan.trainer_funcs or (last_name(ctor_call) or "") in training_factories
            ):
                trained = index  # `model = train_model(...)` returns a trained model
            engines: set[str] = set()
            for later_index in range(index + 1, len(body)):
                if _trains(body[later_index], var, scan, users, optional, builders):
                    trained = later_index
                engine = _engine_built(body[later_index], var, builders)
                if engine is not None:
                    engines.add(engine)
                elif _runs_engine(body[later_index], engines):
                    trained = later_index
            if trained is None and id(stmt) in known and known[id(stmt)].trained_after is not None:
                target = known[id(stmt)].trained_after
                trained = next((i for i, s in enumerate(body) if s is target), None)
            if trained is None:
                continue
            line = scan.line_of(body[trained])
            # At the same training statement (`fit(loader, model, loss_fn, optimizer)`), the module
            # whose parameters the optimizer gets is the model, not a parameter-free loss module.
            if best is None or (line, var in optimized) >= (best[0], best[1] in optimized):
                best = (line, var, body, trained)
    return (best[1], best[2], best[3], None) if best else None


def _optimized_models(module: cst.Module) -> set[str]:
    """Names whose `.parameters()` the script reads (`Adam(model.parameters())`): the modules it trains."""
    return {receiver_of(c) for c in calls_in(module) if last_name(c) == "parameters" and receiver_of(c)}


def _alias_of(stmt: cst.BaseStatement, models: set[str]) -> str | None:
    """`model = embedding_net` after `embedding_net = EmbeddingNet()`: a second name for a built model."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign)):
        return None
    small = stmt.body[0]
    if len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name) \
            and isinstance(small.value, cst.Name) and small.value.value in models:
        return small.targets[0].target.value
    return None


def _methods(module: cst.Module) -> list[cst.FunctionDef]:
    """Methods (taking `self`) of the module's classes."""
    return [
        m
        for cls in module.body
        if isinstance(cls, cst.ClassDef)
        for m in cls.body.body
        if isinstance(m, cst.FunctionDef) and m.params.params and m.params.params[0].name.value == "self"
    ]


def _leaves_block(stmt: cst.CSTNode) -> bool:
    """True when the statement contains return/break/continue/raise/yield (outside nested functions):
    repeated elsewhere it would not mean the same, or not compile."""
    found: list[bool] = []

    class _Exits(cst.CSTVisitor):
        def visit_Return(self, node) -> None:
            found.append(True)

        visit_Raise = visit_Yield = visit_Break = visit_Continue = visit_Return

        def visit_FunctionDef(self, node) -> bool:
            return False

        def visit_Lambda(self, node) -> bool:
            return False

    stmt.visit(_Exits())
    return bool(found)


def _attribute_models(module: cst.Module, scan: Scan, factories: set[str]) -> list[str]:
    """`self.x` attributes assigned a torch model in some method."""
    found: list[str] = []
    for node in nodes_of(module, cst.Assign):
        target = node.targets[0].target if len(node.targets) == 1 else None
        value = node.value
        while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and last_name(value) == "to":
            value = value.func.value
        if (
            isinstance(target, cst.Attribute) and code(target.value) == "self"
            and isinstance(value, cst.Call)
            and (is_torch_model_ctor(call_name(value) or "", scan) or last_name(value) in factories)
            and code(target) not in found
        ):
            found.append(code(target))
    return found


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
    if is_torch_model_ctor(name, scan) or short in factories or _from_registry(value, factories):
        return small.targets[0].target.value
    if short in ("DistributedDataParallel", "DDP") and value.args:
        return small.targets[0].target.value  # the wrapper trains the model it holds in `.module`
    if short in scan.trainer_funcs and "model" in small.targets[0].target.value.lower():
        return small.targets[0].target.value
    return None


def _is_training(stmt: cst.CSTNode, scan: Scan, optional: dict[str, tuple[int, str]] | None = None,
                 tools: frozenset[str] = frozenset(), holder: str | None = None,
                 readers: set[str] = frozenset(), model: str | None = None) -> bool:
    """The statement trains: an optimizer step, a backward pass, a call of a training function (not a
    method of one of the evaluation's `tools`: `evaluator.run(loader)` shares its name with a trainer's run;
    nor a reading method of the model's holder: `trainer.evaluate(X, y)` runs its shared epoch with
    training off)."""
    for call in calls_in(stmt):
        short = last_name(call) or ""
        if _without_optimizer(call, optional or {}) or receiver_of(call) in tools:
            continue
        if holder is not None and receiver_of(call) == holder and short in readers:
            continue
        if short == "step" and _sampler_step(call):
            continue
        if model is not None and short == "fit" and _probe_fit(call, model):
            continue
        if short in vocab.TRAINING_STEP_CALLS or short in scan.trainer_funcs:
            return True
    return False


def _probe_fit(call: cst.Call, model: str) -> bool:
    """`KNeighborsClassifier(1).fit(embed(model, X), y)`: an estimator built in place is fitted on the
    model's outputs, to score them (a probe); the model itself is not given to it, so it is not trained."""
    if not (isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Call)):
        return False
    direct = {code(a.value) for a in call.args}
    return model not in direct and any(mentions(a.value, model) for a in call.args)


def _sampler_step(call: cst.Call) -> bool:
    """A diffusion sampler's step (`noise_scheduler.step(model_output, t, sample)`): it computes the
    next sample from the model's output, it does not train. An optimizer's step takes at most a closure,
    an LR scheduler's at most a metric (ReduceLROnPlateau) or an epoch."""
    return len([a for a in call.args if a.keyword is None and not a.star]) >= 3


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
                stop_at_training: bool, training_calls: set[str] = frozenset(),
                holder: str | None = None,
                optional: dict[str, tuple[int, str]] | None = None,
                tools: frozenset[str] = frozenset()) -> tuple[list[cst.BaseStatement], list[str]]:
    """Statements that use the model (or results derived from it) without training, saving or tracking.

    With a holder object (`trainer` for `trainer.model`), calls of its reading methods count as uses
    and calls of its training methods as training. A new model bound to the model's name ends the
    evaluation, unless it is the trained one reloaded (`model = Net()` then
    `model.load_state_dict(torch.load(...))`): then what follows evaluates the same weights, and
    the rebinding itself is not repeated (repeated, it would replace the optimized copy)."""
    derived = {model}
    chosen: list[cst.BaseStatement] = []
    assigned: list[str] = []
    for index, stmt in enumerate(candidates):
        text = code(stmt)
        if isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, _EXITS) for s in stmt.body):
            break
        if _leaves_block(stmt):
            continue
        if _rebinds_model(stmt, model):
            if _reloaded(stmt, candidates[index + 1:], model):
                continue
            break
        if _is_training(stmt, scan, optional, tools, holder, global_readers, model) or any(
            holder is not None and receiver_of(c) == holder and last_name(c) in training_calls for c in calls_in(stmt)
        ):
            if stop_at_training:
                break
            continue
        if _SAVING.search(text) or _TRACKING.search(text) or _is_mode_switch(stmt, model):
            continue
        used = names_in(stmt)
        calls_reader = any(
            (last_name(c) or "") in global_readers and (holder is None or receiver_of(c) in (holder, None))
            for c in calls_in(stmt)
        )
        if used & derived or calls_reader or mentions(stmt, model):
            bound = {n for s in chosen for n in _binds(s)}
            carried = _read_before_bound(stmt, bound)
            earlier = candidates[: candidates.index(stmt)]
            if carried:
                # An accumulator (`correct += ...`, `best = max(best, acc)`): repeated, it needs its
                # starting value. Take the statement that sets it just before (`correct = 0`), if any.
                starts = _initializers(earlier, carried, chosen)
                if starts is None:
                    continue  # no known start: it is the original's running result, not repeated
                _take_starts(starts, chosen, derived, assigned, candidates)
            # Lists the evaluation fills (`val_preds.extend(...)`) from a fresh start (`val_preds = []`)
            # are its results too: repeated with that start, they hold the new model's outputs.
            filled = _filled_lists(stmt) - bound
            starts = _initializers(earlier, filled, chosen) if filled else None
            if starts is not None:
                _take_starts(starts, chosen, derived, assigned, candidates)
                derived.update(filled)
            chosen.append(stmt)
            for name in _binds(stmt):
                if name != model:
                    derived.add(name)
                    if name not in assigned:
                        assigned.append(name)
    if not any(_does_work(s) for s in chosen):
        return [], []
    seeded = _seeded_generators(candidates, chosen)
    if seeded:
        # `gen = torch.Generator().manual_seed(s)` then sampling with `generator=gen`: repeated from
        # the same seed, the optimized copy is scored on the same noise as the model.
        _take_starts(seeded, chosen, derived, assigned, candidates)
    return chosen, assigned


# A random generator built from a seed: `torch.Generator().manual_seed(s)`, `np.random.default_rng(s)`.
_SEEDED_RNG = re.compile(r"\b(manual_seed|default_rng|RandomState)\(\s*[^)\s]")


def _seeded_generators(candidates: list[cst.BaseStatement], chosen: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The statements that bind a seeded random generator the evaluation reads before it (and none of it binds)."""
    taken = {id(s) for s in chosen}
    bound = {n for s in chosen for n in _binds(s)}
    found: dict[str, cst.BaseStatement] = {}
    for stmt in candidates:
        if id(stmt) in taken:
            # A generator read here was seeded by the last binding before: that one is repeated.
            read = names_in(stmt) - bound
            if any(name in read for name in found):
                break
            continue
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
            names = _binds(stmt)
            if len(names) == 1 and names[0] not in bound and _SEEDED_RNG.search(code(stmt.body[0].value)):
                found[names[0]] = stmt
    read = set().union(*(names_in(s) for s in chosen))
    return [stmt for name, stmt in found.items() if name in read]


def _take_starts(starts: list[cst.BaseStatement], chosen: list[cst.BaseStatement], derived: set[str],
                 assigned: list[str], candidates: list[cst.BaseStatement]) -> None:
    """Add the statements that set an evaluation's running values from scratch to the chosen ones, in source order."""
    for start in starts:
        chosen.append(start)
        for name in _binds(start):
            derived.add(name)
            if name not in assigned:
                assigned.append(name)
    chosen.sort(key=lambda s: next(i for i, c in enumerate(candidates) if c is s))


def _filled_lists(stmt: cst.BaseStatement) -> set[str]:
    """Plain names the statement appends to or extends (`preds.extend(...)`), outside nested functions."""
    nested = {id(c) for f in nodes_of(stmt, cst.FunctionDef) for c in calls_in(f)}
    return {
        c.func.value.value for c in calls_in(stmt)
        if id(c) not in nested and isinstance(c.func, cst.Attribute) and c.func.attr.value in ("append", "extend")
        and isinstance(c.func.value, cst.Name)
    }


def _rebinds_model(stmt: cst.BaseStatement, model: str) -> bool:
    """`model = Net()` (or `= torch.load(...)`): the model's name gets a value that does not come from the model."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.Assign) and any(code(t.target) == model for t in small.targets):
            return not mentions(small.value, model)
    return False


def _reloaded(stmt: cst.BaseStatement, following: list[cst.BaseStatement], model: str) -> bool:
    """The rebinding loads saved weights: its own value is a `load(...)`, or a `model.load_state_dict(...)`
    follows before the new model is used."""
    if any(last_name(c) == "load" for c in calls_in(stmt)):
        return True
    for later in following:
        if any(last_name(c) == "load_state_dict" and receiver_of(c) == model for c in calls_in(later)):
            return True
        if mentions(later, model):
            return False
    return False


def _loads(node: cst.CSTNode) -> list[str]:
    """Names an expression or statement reads, in source order (attribute and keyword names excluded)."""
    out: list[str] = []
    stack = [node]  # iterative: expressions can nest deeper than Python's recursion limit
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            out.append(current.value)
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        elif isinstance(current, _COMPREHENSIONS):
            # `[f(c) for _ in range(3)]` binds `_` and `c` for itself: they are not read from outside.
            own = {n for comp in nodes_of(current, cst.CompFor) for n in assigned_names(comp.target)}
            out.extend(n for child in current.children for n in _loads(child) if n not in own)
        else:
            stack.extend(reversed(current.children))
    return out


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _read_before_bound(stmt: cst.BaseStatement, bound: set[str]) -> set[str]:
    """Names the statement binds but reads before it binds them (and that `bound` does not hold yet):
    values carried over from earlier code, such as accumulators and running maxima."""
    binds = set(_binds(stmt))
    known = set(bound)
    carried: set[str] = set()

    def reads(node: cst.CSTNode | None) -> None:
        if node is not None:
            carried.update(n for n in _loads(node) if n in binds and n not in known)

    def target(node: cst.CSTNode) -> None:
        names = assigned_names(node)  # type: ignore[arg-type]
        if names:
            known.update(names)
        else:
            reads(node)  # `x[i] = ...` / `obj.attr = ...` read x / obj

    def walk(statements) -> None:
        for current in statements:
            if isinstance(current, cst.SimpleStatementLine):
                for small in current.body:
                    if isinstance(small, cst.Assign):
                        reads(small.value)
                        for t in small.targets:
                            target(t.target)
                    elif isinstance(small, cst.AugAssign):
                        reads(small.target)
                        reads(small.value)
                        target(small.target)
                    elif isinstance(small, cst.AnnAssign):
                        reads(small.value)
                        target(small.target)
                    else:
                        reads(small)
            elif isinstance(current, (cst.For,)):
                reads(current.iter)
                target(current.target)
                walk(_suite(current.body))
                if current.orelse is not None:
                    walk(_suite(current.orelse.body))
            elif isinstance(current, (cst.If, cst.While)):
                reads(current.test)
                walk(_suite(current.body))
                orelse = current.orelse
                while orelse is not None:
                    if isinstance(orelse, cst.If):
                        reads(orelse.test)
                        walk(_suite(orelse.body))
                        orelse = orelse.orelse
                    else:
                        walk(_suite(orelse.body))
                        orelse = None
            elif isinstance(current, cst.With):
                for item in current.items:
                    reads(item.item)
                    if item.asname is not None:
                        target(item.asname.name)
                walk(_suite(current.body))
            elif isinstance(current, cst.Try):
                walk(_suite(current.body))
                for handler in current.handlers:
                    walk(_suite(handler.body))
                if current.orelse is not None:
                    walk(_suite(current.orelse.body))
                if current.finalbody is not None:
                    walk(_suite(current.finalbody.body))
            else:
                reads(current)

    walk([stmt])
    return carried


def _suite(block) -> list:
    return list(block.body) if isinstance(block, cst.IndentedBlock) else [
        cst.SimpleStatementLine(body=list(block.body))
    ] if isinstance(block, cst.SimpleStatementSuite) else []


def _initializers(before: list[cst.BaseStatement], names: set[str],
                  chosen: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
    """For each name, the latest simple assignment before the statement that sets it from scratch
    (`correct = 0`, `total, hits = 0, 0`); None when one of them has none."""
    found: list[cst.BaseStatement] = []
    for name in sorted(names):  # a set: sorted, so that the edit is the same on every run
        start = None
        for stmt in reversed(before):
            if name in _binds(stmt):
                if (
                    isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
                    and isinstance(stmt.body[0], cst.Assign) and name not in _loads(stmt.body[0].value)
                ):
                    start = stmt
                break
        if start is None:
            return None
        if all(start is not c for c in chosen) and all(start is not f for f in found):
            found.append(start)
    return found


def receiver_of(call: cst.Call) -> str | None:
    """`obj` for `obj.method(...)`, None for a plain function call."""
    return code(call.func.value) if isinstance(call.func, cst.Attribute) else None


def _is_mode_switch(stmt: cst.BaseStatement, model: str) -> bool:
    """`model.train()`, `model.load_state_dict(...)`: method calls that change the model rather than use it.

    Repeating them after the optimization would undo it (reloading weights) or break it (moving a
    quantized copy); only `model.eval()` is harmless and kept.
    """
    text = code(stmt).strip()
    return isinstance(stmt, cst.SimpleStatementLine) and bool(
        re.fullmatch(rf"{re.escape(model)}\.(?!eval\()\w+\(.*\)\s*(#.*)?", text, re.DOTALL)
    )


def _does_work(stmt: cst.BaseStatement) -> bool:
    text = code(stmt).strip()
    return not re.fullmatch(r"\w+\.eval\(\)", text)


def plan_evaluation(module: cst.Module, scan: Scan) -> EvalPlan | None:
    """The model, the insertion point after its training and evaluation, and the evaluation to repeat."""
    found = _find_model(module, scan)
    if found is None:
        return None
    model, body, trained, held = found
    if held is None:
        model = _returned_as(module, body[trained], model) or model
        if _ddp_wrapper(module, model):
            # The wrapper trains the model it holds: that model is `.module` (evaluated and saved as such).
            model = f"{model}.module"
    plan = _plan_at(module, scan, model, body, trained, held)
    if not plan.repeat and held is None:
        plan = _evaluation_under_guard(module, scan, model, body, trained) or plan
    # `if __name__ == "__main__":` (or a `with` block) around the training loop: when nothing after
    # the block evaluates the model, look inside it, after the loop and in it.
    while not plan.repeat and held is None:
        block = body[trained]
        if not (isinstance(block, (cst.If, cst.With)) and isinstance(block.body, cst.IndentedBlock)):
            break
        inner = list(block.body.body)
        users = _functions_using(module, model)
        training = [i for i, stmt in enumerate(inner)
                    if _trains(stmt, model, scan, users, optional_optimizers(module), engine_builders(module, scan))]
        if not training:
            break
        body, trained = inner, training[-1]
        plan = _plan_at(module, scan, model, body, trained, held)
    if not plan.repeat and held is None:
        plan = _evaluation_of_reloaded(module, scan, body) or plan
    return plan


def _evaluation_of_reloaded(module: cst.Module, scan: Scan, trained_in: list[cst.BaseStatement]) -> EvalPlan | None:
    """The evaluation of the trained model in another function, which rebuilds it from its checkpoint
    (`model = build_model(...)`, then `model.load_state_dict(ckpt["state_dict"])`): an `evaluate`
    subcommand of a script that trains in `train`. The copy is made there, after the reload."""
    factories = _model_factories(module, scan)
    for body in _blocks(module):
        if body is trained_in:
            continue
        for index, stmt in enumerate(body):
            var = _model_assignment(stmt, scan, factories)
            if var is None:
                continue
            loaded = next((j for j in range(index + 1, len(body)) if any(
                last_name(c) == "load_state_dict" and receiver_of(c) == var for c in calls_in(body[j]))), None)
            if loaded is None:
                continue
            plan = _plan_at(module, scan, var, body, loaded, None)
            if plan.repeat and not plan.from_loop and _computes_a_figure(module, plan.repeat, plan.assigned):
                return plan
    return None


def _ddp_wrapper(module: cst.Module, var: str) -> bool:
    """`var = DistributedDataParallel(model)` (or its alias `DDP(...)`): a wrapper around the model."""
    return any(
        len(a.targets) == 1 and code(a.targets[0].target) == var and isinstance(a.value, cst.Call)
        and last_name(a.value) in ("DistributedDataParallel", "DDP")
        for a in nodes_of(module, cst.Assign)
    )


def _evaluation_under_guard(module: cst.Module, scan: Scan, model: str, body: list[cst.BaseStatement],
                            trained: int) -> EvalPlan | None:
    """The evaluation inside an `if` (no else) right after training (`if rank == 0:` in a distributed
    script): repeated there, under the same condition, after the statements that evaluate."""
    for stmt in body[trained + 1:]:
        if not (isinstance(stmt, cst.If) and stmt.orelse is None and isinstance(stmt.body, cst.IndentedBlock)
                and mentions(stmt.body, model)):
            continue
        readers = {f for f in _functions_using(module, model) if f not in scan.trainer_funcs}
        repeat, assigned = _evaluation(list(stmt.body.body), model, scan, readers, True,
                                       optional=optional_optimizers(module))
        if repeat and _computes_a_figure(module, repeat, assigned):
            return EvalPlan(model, repeat[-1], repeat, assigned)
    return None


def _plan_at(module: cst.Module, scan: Scan, model: str, body: list[cst.BaseStatement], trained: int,
             held: _Held | None) -> EvalPlan:
    """The plan for a model trained by `body[trained]`: the evaluation after it, or in its loop, or
    in the training function or method it calls."""
    readers = {f for f in _functions_using(module, model) if f not in scan.trainer_funcs}
    optional = optional_optimizers(module)
    training: set[str] = set()
    holder = None
    if held is not None:
        readers |= held.readers
        training = held.training
        holder = held.owner
    after = body[trained + 1 :]
    repeat, assigned = _evaluation(after, model, scan, readers, True, training, holder, optional)
    if repeat and _computes_a_figure(module, repeat, assigned):
        return EvalPlan(model, repeat[-1], repeat, assigned)
    # After training the script only shows the model at work (a few predictions): its figure is
    # the evaluation in the training loop, repeated with those statements.
    then = (repeat, assigned)
    loop = body[trained]
    if isinstance(loop, (cst.For, cst.While)) and isinstance(loop.body, cst.IndentedBlock):
        inner = [
            s for s in _without_training_steps(list(loop.body.body))
            if not any(
                holder is not None and receiver_of(c) == holder and last_name(c) in training for c in calls_in(s)
            )
        ]
        repeat, assigned = _evaluation(inner, model, scan, readers, False, training, holder, optional)
        repeat, unwrapped = _outside_the_loop(loop, repeat, _unused_parameters(module))
        assigned = [n for n in assigned if any(n in _binds(s) for s in repeat)]
        if any(_does_work(s) for s in repeat):
            return _followed_by(EvalPlan(model, loop, repeat, assigned, from_loop=True, needs_before=unwrapped), *then)
    inside = _evaluation_inside_method(module, body[trained], held, scan) if held is not None else None
    inside = inside or _evaluation_inside_trainer(module, body[trained], model, scan)
    inside = inside or _evaluation_in_handlers(module, scan, model, body, trained)
    if inside is not None:
        return _followed_by(inside, *then)
    if then[0]:
        return EvalPlan(model, then[0][-1], *then)
    return EvalPlan(model, body[trained], [], [])


def _followed_by(plan: EvalPlan, after: list[cst.BaseStatement], assigned: list[str]) -> EvalPlan:
    """The plan extended with the statements that use the model after training (inserted after them)."""
    if not after:
        return plan
    names = plan.assigned + [n for n in assigned if n not in plan.assigned]
    return dataclasses.replace(plan, insert_after=after[-1], repeat=plan.repeat + after, assigned=names)


_REDUCTIONS = frozenset({"item", "mean", "sum", "float", "score", "tolist"})


def _computes_a_figure(module: cst.Module, repeat: list[cst.BaseStatement], assigned: list[str]) -> bool:
    """The evaluation computes a result: a metric-named value, a call of one of the script's own
    functions (`test(model, loader)` prints its own), a reduction (`.mean()`, `.item()`) outside a
    loop or an accumulator (`correct += ...`) in one; not only predictions shown one by one
    (`for i in range(3): ... print(f"Predicted: {classes[pred.argmax()]}")`)."""
    own = {f.name.value for f in nodes_of(module, cst.FunctionDef)}
    if any(vocab.is_metric_name(n) for n in assigned):
        return True
    names = {last_name(c) or "" for s in repeat for c in calls_in(s)}
    if names & own or any(vocab.is_metric_name(n) for n in names):
        return True
    for stmt in repeat:
        if isinstance(stmt, (cst.For, cst.While)):
            if nodes_of(stmt, cst.AugAssign):
                return True
        elif {last_name(c) for c in calls_in(stmt)} & _REDUCTIONS:
            return True
    return False


def _without_training_steps(block: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The loop body without its training step: the backward pass, and the statements that compute
    the loss it differentiates (`loss = criterion(model(X_train), y_train)`). Repeated, that loss
    would be a training figure, and the 'before' run of it would rebind the script's own `loss`."""
    # A backward pass inside a closure (`def closure(): ... loss.backward()` for LBFGS) differentiates
    # the closure's own `loss`: the loop's `loss = criterion(pred, test_target)` is another value.
    own_level = [s for s in block if not isinstance(s, cst.FunctionDef)]
    nested = {id(c) for f in nodes_of(cst.Module(body=own_level), cst.FunctionDef) for c in calls_in(f)}
    losses = {
        c.func.value.value for c in calls_in(cst.Module(body=own_level))
        if last_name(c) == "backward" and isinstance(c.func, cst.Attribute) and isinstance(c.func.value, cst.Name)
        and id(c) not in nested
    }
    dropped = [s for s in block if runs_backward(s) or set(_binds(s)) & losses]
    # What feeds only the loss goes with it (`out = seq(input)` before `loss = criterion(out, target)`).
    changed = True
    while changed:
        changed = False
        kept = [s for s in block if all(s is not d for d in dropped)]
        read_dropped = {n for s in dropped for n in _loads(s)}
        for stmt in kept:
            binds = set(_binds(stmt))
            read_by_others = {n for other in kept if other is not stmt for n in _loads(other)}
            if isinstance(stmt, cst.SimpleStatementLine) and binds and binds <= read_dropped \
                    and not binds & read_by_others:
                dropped.append(stmt)
                changed = True
                break  # `kept` changed: look again
    return [s for s in block if all(s is not d for d in dropped)]


_NEVER_TRUE = {  # (global on the left?, operator) -> the global's value that makes the test false
    (False, cst.GreaterThan): 'float("inf")', (False, cst.GreaterThanEqual): 'float("inf")',
    (False, cst.LessThan): 'float("-inf")', (False, cst.LessThanEqual): 'float("-inf")',
    (True, cst.GreaterThan): 'float("-inf")', (True, cst.GreaterThanEqual): 'float("-inf")',
    (True, cst.LessThan): 'float("inf")', (True, cst.LessThanEqual): 'float("inf")',
}


def global_best_guards(func: cst.FunctionDef) -> dict[str, tuple[str, cst.If]]:
    """`global best_acc` ... `if acc > best_acc:` (checkpoint, new best): global -> (the value that
    keeps that branch from running, the branch). Set to it while the function evaluates another
    model, the script's running best and its checkpoint stay the trained model's."""
    declared = {n.name.value for g in nodes_of(func.body, cst.Global) for n in g.names}
    found: dict[str, tuple[str, cst.If]] = {}
    for branch in nodes_of(func.body, cst.If):
        test = branch.test
        if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
            continue
        right = test.comparisons[0].comparator
        for on_left, side in ((True, test.left), (False, right)):
            value = _NEVER_TRUE.get((on_left, type(test.comparisons[0].operator)))
            if isinstance(side, cst.Name) and side.value in declared and value is not None:
                found[side.value] = (value, branch)
    return found


def _unused_parameters(module: cst.Module) -> dict[str, set[int]]:
    """Module function -> positions of the parameters its body never reads (`def test(epoch):` that
    prints no epoch), or reads only in a new-best branch that a repeat keeps from running."""
    found: dict[str, set[int]] = {}
    for func in module.body:
        if isinstance(func, cst.FunctionDef) and not isinstance(func.params.star_arg, cst.Param) \
                and func.params.star_kwarg is None:
            branches = [branch for _, branch in global_best_guards(func).values()]
            used = set(_loads(func.body.visit(_WithoutBranches(branches))))
            found[func.name.value] = {i for i, p in enumerate(func.params.params) if p.name.value not in used}
    return found


class _WithoutBranches(cst.CSTTransformer):
    """Removes the given `if` statements."""

    def __init__(self, branches: list[cst.If]):
        super().__init__()
        self.branches = branches

    def leave_If(self, original, updated):
        return cst.RemoveFromParent() if any(original is b for b in self.branches) else updated


def _ignored_reads(stmt: cst.BaseStatement, unused: dict[str, set[int]]) -> list[str]:
    """Names the statement passes only to parameters the called function ignores."""
    out: list[str] = []
    for call in calls_in(stmt):
        positions = unused.get(code(call.func), set())
        for index, arg in enumerate(call.args):
            if index in positions and arg.keyword is None and not arg.star and isinstance(arg.value, cst.Name):
                out.append(arg.value.value)
    return out


def _outside_the_loop(loop: cst.For | cst.While, repeat: list[cst.BaseStatement],
                      unused: dict[str, set[int]] | None = None) -> tuple[list[cst.BaseStatement], bool]:
    """The loop's evaluation statements that still mean the same after the loop.

    A statement reading the loop's own values (`epoch`, the last batch's `loss`) would print a
    line the script never printed ("epoch 20 ...") about a model it never had: it is left out. An
    `if epoch % 10 == 9:` around the evaluation is dropped and its body kept; then the last epoch
    may not have evaluated, so the evaluation is run once before the change too (True)."""
    loop_values = set(assigned_names(loop.target)) if isinstance(loop, cst.For) else set()
    for stmt in loop.body.body:  # type: ignore[union-attr]
        if not any(stmt is r for r in repeat):
            loop_values.update(_binds(stmt))
    kept: list[cst.BaseStatement] = []
    unwrapped = False
    conditional: list[cst.BaseStatement] = []  # statements taken out of such an `if`
    bound: set[str] = set()
    pending = list(repeat)
    while pending:
        stmt = pending.pop(0)
        # `test(epoch)` where test() never reads `epoch` means the same after the loop.
        loads = _loads(stmt)
        for name in _ignored_reads(stmt, unused or {}):
            loads.remove(name)
        reads = set(loads) - set(_binds(stmt))
        stale = (reads - bound) & loop_values
        if stale and isinstance(stmt, cst.If) and stmt.orelse is None and isinstance(stmt.body, cst.IndentedBlock) \
                and set(_loads(stmt.test)) & loop_values:
            pending = list(stmt.body.body) + pending
            conditional += list(stmt.body.body)
            continue
        if stale and isinstance(stmt, cst.With):
            stmt = _with_fresh_lines(stmt, bound, loop_values, unused or {})
            if stmt is None:
                continue
        elif stale:
            continue
        kept.append(stmt)
        bound.update(_binds(stmt))
        # Only an evaluation kept from under the `if` may have missed the last epoch; a dropped
        # print there (it read `epoch`) leaves nothing to run before the change.
        unwrapped = unwrapped or (any(stmt is c for c in conditional) and _does_work(stmt))
    return kept, unwrapped


def _with_fresh_lines(block: cst.With, bound: set[str], loop_values: set[str],
                      unused: dict[str, set[int]]) -> cst.With | None:
    """A `with torch.no_grad():` evaluation block without its lines that read the loop's own values
    (`print(f"step {step}: mse {loss:.4f}")`), or None when nothing that evaluates is left."""
    if not isinstance(block.body, cst.IndentedBlock) or any(
        set(_loads(item.item)) & loop_values - bound for item in block.items
    ):
        return None
    known = set(bound) | {n for item in block.items if item.asname is not None for n in assigned_names(item.asname.name)}
    body = []
    stale = set(loop_values)
    for stmt in block.body.body:
        loads = _loads(stmt)
        for name in _ignored_reads(stmt, unused):
            loads.remove(name)
        if (set(loads) - set(_binds(stmt)) - known) & stale:
            stale.update(_binds(stmt))  # what a dropped line computes is not there for the next ones
            continue
        body.append(stmt)
        known.update(_binds(stmt))
    if not any(_does_work(s) for s in body):
        return None
    return block.with_changes(body=block.body.with_changes(body=body))


def _evaluation_inside_method(module: cst.Module, stmt: cst.BaseStatement, held: _Held, scan: Scan) -> EvalPlan | None:
    """`trainer.fit(train_loader, val_loader)` evaluates in its epoch loop (`metrics = self.evaluate(val_loader)`):
    repeat that evaluation after the call on the holder (`self` -> `trainer`, parameters -> the caller's names)."""
    attr = held.model.split(".", 1)[1]
    for call in calls_in(stmt):
        if receiver_of(call) != held.owner or last_name(call) not in held.training:
            continue
        method = next((
            m for cls in module.body if isinstance(cls, cst.ClassDef)
            for name, m in _class_methods(cls).items()
            if name == last_name(call) and held.training | held.readers <= set(_class_methods(cls))
        ), None)
        if method is None:
            continue
        renames = _parameter_names(method.with_changes(params=method.params.with_changes(
            params=method.params.params[1:])), call)
        if renames is None:
            continue
        renames["self"] = held.owner
        for block in _loop_bodies(method.body):
            repeat, assigned = _evaluation(block, f"self.{attr}", scan, held.readers, False, held.training, "self",
                                           optional_optimizers(module))
            unavailable = set(_function_locals(method)) - set(renames) - set(assigned)
            repeat = [s for s in repeat if not names_in(s) & unavailable]
            assigned = [n for n in assigned if any(n in _binds(s) for s in repeat)]
            if any(_does_work(s) for s in repeat):
                renames = {k: v for k, v in renames.items() if k != v}
                return EvalPlan(held.model, stmt, repeat, assigned, renames=renames, needs_before=True)
    return None


def _evaluation_inside_trainer(
    module: cst.Module, stmt: cst.BaseStatement, model: str, scan: Scan
) -> EvalPlan | None:
    """`train(model, train_loader, val_loader)` evaluates inside its epoch loop: repeat that evaluation
    after the call, with the trainer's parameter names replaced by the caller's argument names."""
    functions = {f.name.value: f for f in module.body if isinstance(f, cst.FunctionDef)}
    for call in calls_in(stmt):
        func = functions.get(last_name(call) or "")
        if func is None:
            continue
        renames = _parameter_names(func, call)
        if renames is None:
            continue
        inner_model = next((p for p, arg in renames.items() if arg == model), None)
        returned = _returned_parameter(func)
        if inner_model is None and returned in renames and _binds(stmt) == [model]:
            # `model_conv = train_model(model_ft, ...)` returns the model it was given, trained.
            inner_model, renames[returned] = returned, model
        if inner_model is None and func.name.value in _functions_using(module, model):
            # `main()` trains the module-level model it reads as a global, then evaluates it
            # (`eval_return = evaluate()`): that evaluation means the same after the call.
            plan = _evaluation_after_training_in(module, func, stmt, model, scan, renames)
            if plan is not None:
                return plan
        if inner_model is None:
            continue
        for block in _loop_bodies(func.body):
            readers = {f for f in _functions_using(module, inner_model) if f not in scan.trainer_funcs}
            inner = _without_training_steps(block)
            repeat, assigned = _evaluation(inner, inner_model, scan, readers, stop_at_training=False,
                                           optional=optional_optimizers(module))
            # Only statements whose names exist at the call site (not the trainer's own locals).
            unavailable = set(_function_locals(func)) - set(renames) - set(assigned)
            repeat = [s for s in repeat if not names_in(s) & unavailable]
            assigned = [n for n in assigned if any(n in _binds(s) for s in repeat)]
            if any(_does_work(s) for s in repeat):
                renames = {k: v for k, v in renames.items() if k != v}
                return EvalPlan(model, stmt, repeat, assigned, renames=renames, needs_before=True)
    return None


def _evaluation_after_training_in(module: cst.Module, func: cst.FunctionDef, stmt: cst.BaseStatement,
                                  model: str, scan: Scan, renames: dict[str, str]) -> EvalPlan | None:
    """The evaluation a function runs on a global model after its last training statement, made
    only of names that exist after the call (its own locals are left out, except the results)."""
    if not isinstance(func.body, cst.IndentedBlock) or model in {p.name.value for p in func.params.params}:
        return None
    body = list(func.body.body)
    optional = optional_optimizers(module)
    trained = [i for i, s in enumerate(body) if _is_training(s, scan, optional)]
    if not trained:
        return None
    readers = {f for f in _functions_using(module, model) if f not in scan.trainer_funcs}
    repeat, assigned = _evaluation(body[trained[-1] + 1:], model, scan, readers, True, optional=optional)
    unavailable = set(_function_locals(func)) - set(renames) - set(assigned)
    repeat = [s for s in repeat if not names_in(s) & unavailable]
    assigned = [n for n in assigned if any(n in _binds(s) for s in repeat)]
    if not any(_does_work(s) for s in repeat):
        return None
    # Under `if __name__ == "__main__":`, the new code goes right after the call, in that block.
    inner = stmt.body.body if isinstance(stmt, (cst.If, cst.With)) and isinstance(stmt.body, cst.IndentedBlock) else []
    calling = [s for s in inner if any(last_name(c) == func.name.value for c in calls_in(s))]
    return EvalPlan(model, calling[-1] if calling else stmt, repeat, assigned, needs_before=True)


def _engine_handlers(module: cst.Module, engine: str) -> list[cst.FunctionDef]:
    """Functions the engine calls on its events: decorated with `@engine.on(...)` or registered with
    `engine.add_event_handler(event, handler)`."""
    registered = {
        code(c.args[1].value) for c in calls_in(module)
        if receiver_of(c) == engine and last_name(c) == "add_event_handler" and len(c.args) > 1
    }
    return [
        f for f in nodes_of(module, cst.FunctionDef)
        if f.name.value in registered or any(
            isinstance(d.decorator, cst.Call) and code(d.decorator.func) == f"{engine}.on" for d in f.decorators
        )
    ]


def _evaluation_in_handlers(module: cst.Module, scan: Scan, model: str, body: list[cst.BaseStatement],
                            trained: int) -> EvalPlan | None:
    """`trainer.run(loader)` evaluates in an event handler (`@trainer.on(Events.EPOCH_COMPLETED)`:
    `metrics = evaluator.run(val_loader).metrics`): repeat, after the run, the building of what the
    handler evaluates with (`evaluator = create_supervised_evaluator(model, ...)`) and the
    handler's lines that do not read its own parameters or locals (the engine's epoch)."""
    builders = engine_builders(module, scan)
    engines = {e for stmt in body[:trained] if (e := _engine_built(stmt, model, builders)) is not None}
    engine = _runs_engine(body[trained], engines)
    if engine is None:
        return None
    readers = {f for f in _functions_using(module, model) if f not in scan.trainer_funcs}
    optional = optional_optimizers(module)
    for handler in _engine_handlers(module, engine):
        if not isinstance(handler.body, cst.IndentedBlock):
            continue
        used = set(names_in(handler.body))
        # What the handler evaluates with, built from the model before the run (not the training engine).
        setup = [
            stmt for stmt in body[:trained]
            if isinstance(stmt, cst.SimpleStatementLine) and mentions(stmt, model) and set(_binds(stmt)) & used
            and model not in _binds(stmt)
            and _engine_built(stmt, model, builders) is None and not _is_training(stmt, scan, optional)
        ]
        candidates = setup + list(handler.body.body)
        tools = frozenset(n for stmt in setup for n in _binds(stmt))
        repeat, assigned = _evaluation(candidates, model, scan, readers, False, optional=optional, tools=tools)
        own = {p.name.value for p in handler.params.params} | set(_function_locals(handler))
        unavailable = own - set(assigned)
        repeat = [s for s in repeat if not set(_loads(s)) & (unavailable | {p.name.value for p in handler.params.params})]
        assigned = [n for n in assigned if any(n in _binds(s) for s in repeat)]
        if any(_does_work(s) and not any(s is t for t in setup) for s in repeat):
            return EvalPlan(model, body[trained], repeat, assigned, needs_before=True, tools=sorted(tools))
    return None


def _parameter_names(func: cst.FunctionDef, call: cst.Call) -> dict[str, str] | None:
    """Parameter -> argument name for a call whose arguments are all plain names (None otherwise)."""
    params = [p.name.value for p in func.params.params]
    mapping: dict[str, str] = {}
    for index, arg in enumerate(call.args):
        if arg.star or not isinstance(arg.value, cst.Name):
            if arg.keyword is None or not isinstance(arg.value, (cst.Name, cst.Integer, cst.Float)):
                return None
            continue  # a literal keyword (epochs=5) is not needed by the evaluation
        name = arg.keyword.value if arg.keyword is not None else (params[index] if index < len(params) else None)
        if name is None:
            return None
        mapping[name] = arg.value.value
    return mapping


def _returned_as(module: cst.Module, stmt: cst.BaseStatement, model: str) -> str | None:
    """`tuned = fit_net(base, X, y)` where fit_net returns the model it is given: the trained model
    is then used, evaluated and saved as `tuned` (the same object), so the plan follows that name."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign)):
        return None
    assign = stmt.body[0]
    if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name) \
            or not isinstance(assign.value, cst.Call):
        return None
    name = assign.targets[0].target.value
    func = next((f for f in module.body if isinstance(f, cst.FunctionDef) and f.name.value == last_name(assign.value)), None)
    if func is None or name == model:
        return None
    params = [p.name.value for p in func.params.params]
    given = None
    for index, arg in enumerate(assign.value.args):
        if code(arg.value) == model and not arg.star:
            given = arg.keyword.value if arg.keyword is not None else (params[index] if index < len(params) else None)
    return name if given is not None and _returned_parameter(func) == given else None


def _returned_parameter(func: cst.FunctionDef) -> str | None:
    """The parameter every `return` of the function returns (`return model`), if there is one."""
    params = {p.name.value for p in func.params.params}
    returned = {code(r.value) for r in nodes_of(func.body, cst.Return) if r.value is not None}
    return next(iter(returned)) if len(returned) == 1 and returned <= params else None


def _loop_bodies(block: cst.BaseSuite):
    """Statement lists of the loops in a function body (outermost first); a train/val phase loop
    (`for phase in ["train", "val"]:`) gives its body specialized to the evaluation phase first."""
    if not isinstance(block, cst.IndentedBlock):
        return
    for stmt in block.body:
        if isinstance(stmt, (cst.For, cst.While)) and isinstance(stmt.body, cst.IndentedBlock):
            phase = _evaluation_phase(stmt)
            if phase is not None:
                yield _specialized(list(stmt.body.body), *phase)
            yield list(stmt.body.body)
            yield from _loop_bodies(stmt.body)


_EVAL_PHASES = ("val", "valid", "validation", "eval", "test")


def _evaluation_phase(loop: cst.For | cst.While) -> tuple[str, str] | None:
    """(loop variable, evaluation phase) for `for phase in ["train", "val"]:`, or None."""
    if not (isinstance(loop, cst.For) and isinstance(loop.target, cst.Name)
            and isinstance(loop.iter, (cst.List, cst.Tuple))):
        return None
    values = [string_value(e.value) for e in loop.iter.elements]
    if None in values or "train" not in values:
        return None
    phase = next((v for v in values if v in _EVAL_PHASES), None)
    return (loop.target.value, phase) if phase is not None else None


class _Specialize(cst.CSTTransformer):
    """The loop body for one value of its phase variable: the variable replaced by the string,
    comparisons with it decided, and `if` statements on a decided test reduced to their branch."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__()
        self.name, self.value = name, value

    def leave_FormattedString(self, original_node, updated_node):
        # `f"{phase} Loss"` -> `f"val Loss"` (a string inside the f-string would need other quotes).
        parts = [
            cst.FormattedStringText(self.value)
            if isinstance(o, cst.FormattedStringExpression) and isinstance(o.expression, cst.Name)
            and o.expression.value == self.name and o.format_spec is None and o.conversion is None else p
            for o, p in zip(original_node.parts, updated_node.parts)
        ]
        return updated_node.with_changes(parts=parts)

    def leave_Name(self, original_node, updated_node):
        return cst.SimpleString(repr(self.value).replace("'", '"')) if updated_node.value == self.name else updated_node

    def leave_Comparison(self, original_node, updated_node):
        decided = _decided(updated_node)
        return cst.Name(str(decided)) if decided is not None else updated_node

    def leave_BooleanOperation(self, original_node, updated_node):
        left, right = _truth(updated_node.left), _truth(updated_node.right)
        is_and = isinstance(updated_node.operator, cst.And)
        for known, other in ((left, updated_node.right), (right, updated_node.left)):
            if known is not None:
                if known == (not is_and):  # True or x, False and x
                    return cst.Name(str(known))
                return other
        return updated_node

    def leave_If(self, original_node, updated_node):
        truth = _truth(updated_node.test)
        if truth is True:
            return cst.FlattenSentinel(list(updated_node.body.body))
        if truth is False:
            orelse = updated_node.orelse
            if orelse is None:
                return cst.RemovalSentinel.REMOVE
            if isinstance(orelse, cst.If):
                return orelse
            return cst.FlattenSentinel(list(orelse.body.body))
        return updated_node

    def leave_SimpleStatementLine(self, original_node, updated_node):
        # `optimizer.zero_grad()` belongs to the training phase only.
        if all(isinstance(s, cst.Expr) and isinstance(s.value, cst.Call) and last_name(s.value) == "zero_grad"
               for s in updated_node.body):
            return cst.RemovalSentinel.REMOVE
        return updated_node


def _truth(node: cst.BaseExpression) -> bool | None:
    return {"True": True, "False": False}.get(node.value) if isinstance(node, cst.Name) else None


def _decided(node: cst.Comparison) -> bool | None:
    """`"val" == "train"` -> False: a comparison of two string literals."""
    if len(node.comparisons) != 1:
        return None
    left, right = string_value(node.left), string_value(node.comparisons[0].comparator)
    operator = node.comparisons[0].operator
    if left is None or right is None or not isinstance(operator, (cst.Equal, cst.NotEqual)):
        return None
    return (left == right) == isinstance(operator, cst.Equal)


def _specialized(block: list[cst.BaseStatement], name: str, value: str) -> list[cst.BaseStatement]:
    specialized = cst.Module(body=block).visit(_Specialize(name, value))
    return list(specialized.body)


def _function_locals(func: cst.FunctionDef) -> list[str]:
    """Names bound anywhere in a function (its locals)."""
    out: list[str] = []
    if isinstance(func.body, cst.IndentedBlock):
        for stmt in func.body.body:
            out.extend(_binds(stmt))
    return out
