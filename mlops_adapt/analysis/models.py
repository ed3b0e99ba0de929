"""Finds the model objects a script trains, their framework, and where training ends."""

from __future__ import annotations

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import (
    call_name,
    calls_in,
    code,
    dotted,
    iter_nodes,
    last_name,
    names_in,
    nested_blocks,
    nodes_of,
    receiver,
)
from mlops_adapt.analysis.holders import trains_through_holder
from mlops_adapt.analysis.scan import Ctx, Scan, TrainedModel
from mlops_adapt.analysis.training import backward_loop

_TORCH_CTORS = ("nn.Sequential", "torch.nn.Sequential", "Sequential")
_NOT_MODELS = frozenset({"DataLoader", "TensorDataset", "Dataset", "Tensor", "Generator", "Size"})
# The boosting libraries' own data containers: `xgb.train(params, dtrain)` trains a Booster it
# returns, not the DMatrix it is given.
_BOOSTING_DATA = frozenset({"DMatrix", "QuantileDMatrix", "DeviceQuantileDMatrix", "Dataset", "Pool", "Sequence"})
# Native training functions that return a new trained Booster: (qualified name) -> the model it is.
NATIVE_TRAINERS = {"xgboost.train": "xgboost.Booster", "lightgbm.train": "lightgbm.Booster"}


def framework_of(ctor: str, scan: Scan) -> str | None:
    """'sklearn', 'torch', 'xgboost', 'lightgbm' or None for a constructor name."""
    short = ctor.rsplit(".", 1)[-1]
    if short.endswith("Loss"):  # criteria such as nn.CrossEntropyLoss hold no trained weights
        return None
    if short in scan.nn_modules or ctor in _TORCH_CTORS and "torch" in scan.imported_modules:
        return "torch"
    qual = _qualify(ctor, scan)
    if qual.startswith(("xgboost", "lightgbm", "catboost")) and short in _BOOSTING_DATA:
        return None
    for lib in ("sklearn", "xgboost", "lightgbm", "catboost"):
        if qual.startswith(lib) and (short[:1].isupper() or short == "make_pipeline"):
            return lib
    if qual.startswith("torch"):
        # Data loaders, datasets and optimizers hold no trained weights.
        data_or_tools = qual.startswith(("torch.utils", "torch.optim", "torch.distributions", "torch.cuda"))
        if data_or_tools or short in _NOT_MODELS:
            return None
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
    walked = _walked_as(stmt, var)
    if walked is not None and _trains(stmt.body, walked, scan):
        return True  # for name, model in [("raw", raw), ("log", transformed)]: model.fit(X, y)
    for call in calls_in(stmt):
        short = last_name(call)
        if short in vocab.TRAIN_METHODS and receiver(call) == var:
            return True
        takes_model = short in scan.trainer_funcs or short in vocab.TRAINS_ITS_ARGUMENT
        # dotted() is cheap; code() would print every argument node
        if takes_model and var in {dotted(a.value) for a in call.args}:
            return True
        if trains_through_holder(call, var, scan):
            return True  # trainer = Trainer(model, ...); trainer.fit(X)
        if _hands_to_worker(call, var, scan):
            return True
    if backward_loop(stmt) and _uses(stmt.body, var):
        return True
    if "." not in var and any(var in _globals_trained(scan).get(last_name(c) or "", ()) for c in calls_in(stmt)):
        return True  # main() trains the module-level `model` through train_epoch()
    return False


def _walked_as(stmt: cst.CSTNode, var: str) -> str | None:
    """The loop variable that takes `var` when a for loop walks a literal list holding it
    (`for model in [a, b]`, `for label, model in [("a", a), ("b", b)]`), else None."""
    if not isinstance(stmt, cst.For) or not isinstance(stmt.iter, (cst.List, cst.Tuple)):
        return None
    items = [e.value.elements[-1].value if isinstance(e.value, cst.Tuple) and e.value.elements else e.value
             for e in stmt.iter.elements]
    if not any(isinstance(item, cst.Name) and item.value == var for item in items):
        return None
    target = stmt.target
    if isinstance(target, cst.Tuple) and target.elements:
        target = target.elements[-1].value
    return target.value if isinstance(target, cst.Name) and target.value != var else None


def _hands_to_worker(call: cst.Call, var: str, scan: Scan) -> bool:
    """`mp.Process(target=train, args=(rank, model))`, `mp.spawn(train, args=(model,))`: a training
    function handed over by reference, with the model among the arguments it will get."""
    refs = {a.value.value for a in call.args if isinstance(a.value, cst.Name)}
    if not refs & scan.trainer_funcs:
        return False
    return any(var in names_in(a.value) or dotted(a.value) == var for a in call.args)


def _waits_for_workers(stmt: cst.CSTNode) -> bool:
    """`p.join()` (no argument, unlike `", ".join(parts)`): the statement waits for a worker to finish."""
    return any(last_name(c) == "join" and not c.args and isinstance(c.func, cst.Attribute) for c in calls_in(stmt))


def _globals_trained(scan: Scan) -> dict[str, set[str]]:
    """Module-level names each training function uses without binding them, through its calls too."""
    cached = scan.__dict__.get("_globals_trained")
    if cached is not None:
        return cached
    functions = {s.name.value: s for s in scan.module.body if isinstance(s, cst.FunctionDef)}
    free: dict[str, set[str]] = {}
    for name, func in functions.items():
        bound = {p.name.value for p in func.params.params}
        for target in nodes_of(func.body, (cst.AssignTarget,)):
            bound |= names_in(target.target) if isinstance(target.target, cst.Name) else set()
        free[name] = names_in(func.body) - bound
    calls = {name: {last_name(c) for c in calls_in(func.body)} & set(functions) for name, func in functions.items()}
    changed = True
    while changed:
        changed = False
        for name in functions:
            for callee in calls[name]:
                if not free[callee] <= free[name]:
                    free[name] |= free[callee]
                    changed = True
    result = {name: names for name, names in free.items() if name in scan.trainer_funcs}
    scan.__dict__["_globals_trained"] = result
    return result


def _uses(node: cst.CSTNode, var: str) -> bool:
    """True when `var` (a name, or an attribute chain such as self.model) is used in `node`."""
    if "." not in var:
        return var in names_in(node)
    return any(isinstance(n, cst.Attribute) and dotted(n) == var for n in iter_nodes(node))


def _blocks(module: cst.Module):
    """(statements, ctx) for the module body, every function body and every nested block."""
    yield from _nested_blocks(list(module.body), Ctx())
    for func in nodes_of(module, cst.FunctionDef):
        if isinstance(func.body, cst.IndentedBlock):
            yield from _nested_blocks(list(func.body.body), Ctx(function=func))


def _nested_blocks(body: list, ctx: Ctx):
    """This block, then the bodies of its loops, with-blocks, ifs and trys (not nested defs), with `ctx`."""
    return ((block, ctx) for block in nested_blocks(body))


def _single_assignments(stmt: cst.CSTNode):
    """(target, value) of each `x = value` / `self.x = value` with one target in a statement line."""
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                yield small.targets[0].target, small.value


_PLACEMENT = frozenset({"to", "cuda", "cpu", "float", "double", "half", "train", "eval"})


def _unchained(call: cst.Call) -> cst.Call:
    """Net(width=32).to(device) -> Net(width=32): device and mode calls return the same model."""
    while (isinstance(call.func, cst.Attribute) and call.func.attr.value in _PLACEMENT
           and isinstance(call.func.value, cst.Call)):
        call = call.func.value
    return call


# sklearn's (and xgboost's and lightgbm's sklearn API) fit returns the estimator itself, as set_params does.
_RETURNS_SELF = frozenset({"fit", "partial_fit", "set_params"})


def fitted_constructor(value: cst.BaseExpression) -> cst.Call | None:
    """Ridge(alpha=1.0) in `Ridge(alpha=1.0).fit(X, y)`: a model built and trained in one expression."""
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in ("fit", "partial_fit")):
        return None
    inner = value.func.value
    while (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute)
           and inner.func.attr.value in _RETURNS_SELF | _PLACEMENT and isinstance(inner.func.value, cst.Call)):
        inner = inner.func.value
    return inner if isinstance(inner, cst.Call) and dotted(inner.func) else None


def native_booster(value: cst.BaseExpression, scan: Scan) -> str | None:
    """'xgboost.Booster' for `xgb.train(params, dtrain, ...)` (lightgbm's likewise), else None."""
    if not isinstance(value, cst.Call):
        return None
    return NATIVE_TRAINERS.get(_qualify(call_name(value) or "", scan))


def _own_returns(func: cst.FunctionDef) -> list[cst.Return]:
    """The return statements of `func` itself, not of the functions defined inside it."""
    if not isinstance(func.body, cst.IndentedBlock):
        return []
    return [small for block in nested_blocks(list(func.body.body)) for stmt in block
            if isinstance(stmt, cst.SimpleStatementLine) for small in stmt.body if isinstance(small, cst.Return)]


def model_registries(module: cst.Module, scan: Scan) -> dict[str, str]:
    """Module dicts of model classes, each with the first class it holds: a literal
    (`MODELS = {"mlp": MLP}`), or one a class decorator fills (`@register("mlp")` whose inner
    function does `MODELS[name] = cls`). `MODELS[cfg["name"]](**params)` builds one of them."""
    dicts: dict[str, cst.Dict] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Assign) \
                and isinstance(stmt.body[0].value, cst.Dict):
            for t in stmt.body[0].targets:
                if isinstance(t.target, cst.Name):
                    dicts[t.target.value] = stmt.body[0].value
    found: dict[str, str] = {}
    for name, value in dicts.items():
        classes = [code(e.value) for e in value.elements if isinstance(e, cst.DictElement)]
        if classes and all(framework_of(c, scan) for c in classes):
            found[name] = classes[0]
    fillers: dict[str, str] = {}  # decorator function -> the dict it fills
    for func in module.body:
        if isinstance(func, cst.FunctionDef):
            for target in nodes_of(func, cst.AssignTarget):
                if isinstance(target.target, cst.Subscript) and code(target.target.value) in dicts:
                    fillers[func.name.value] = code(target.target.value)
    for cls in nodes_of(module, cst.ClassDef):
        for d in cls.decorators:
            filled = fillers.get(code(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator))
            if filled and framework_of(cls.name.value, scan):
                found.setdefault(filled, cls.name.value)
    return found


def registry_ctor(call: cst.Call, registries: dict[str, str]) -> str | None:
    """The first class of the registry a call like `MODELS[name](...)` builds from, or None."""
    if isinstance(call.func, cst.Subscript):
        return registries.get(code(call.func.value))
    return None


def _builder_ctors(module: cst.Module, scan: Scan) -> tuple[dict[str, str], dict[str, str]]:
    """(model builders, collection builders): functions that build a model,
    `def build(cfg): return RandomForestClassifier(...)`, and functions that return a dict or list
    of models, `def build_models(): return {"ridge": pipe(RidgeCV()), "lasso": ...}`, each with the
    (first) constructor they build."""
    builders: dict[str, str] = {}
    collections: dict[str, str] = {}
    funcs = list(nodes_of(module, cst.FunctionDef))
    registries = model_registries(module, scan)
    # Twice: a builder may return what a builder defined after it (or inside it) builds.
    for _ in range(2):
        for func in funcs:
            for ret in _own_returns(func):
                if isinstance(ret.value, cst.Call):
                    ctor = call_name(ret.value) or registry_ctor(ret.value, registries) or ""
                    ctor = builders.get(ctor, ctor)
                    if framework_of(ctor, scan):
                        builders.setdefault(func.name.value, ctor)
                elif (held := _collection_ctor(ret.value, scan, builders)) is not None:
                    collections.setdefault(func.name.value, held)
    return builders, collections


def _loop_models(stmt: cst.For, constructors: dict[str, str], scan: Scan) -> tuple[str, str] | None:
    """(loop variable, constructor) when a for loop walks a dict or list of model constructors."""
    iterable = stmt.iter
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute):
        if iterable.func.attr.value not in ("items", "values"):
            return None
        iterable = iterable.func.value
    source = code(iterable)
    ctor = constructors.get(source)
    if ctor is None:
        return None
    target = stmt.target
    if isinstance(target, cst.Tuple) and target.elements:
        target = target.elements[-1].value
    return (target.value, ctor) if isinstance(target, cst.Name) else None


def _collection_ctor(value: cst.BaseExpression, scan: Scan, builders: dict[str, str] | None = None,
                     named: dict[str, str] | None = None) -> str | None:
    """The first model constructor held in a dict or list literal (directly, through a builder, or
    as a name bound to a model earlier: `named`), if any."""
    if isinstance(value, cst.Dict):
        items = [e.value for e in value.elements if isinstance(e, cst.DictElement)]
    elif isinstance(value, (cst.List, cst.Tuple)):
        items = [e.value for e in value.elements]
    else:
        return None
    for item in items:
        if isinstance(item, cst.Tuple) and item.elements:
            item = item.elements[-1].value  # `[("rf, sqrt", RandomForestClassifier(...)), ...]`: labelled models
        if isinstance(item, cst.Name) and item.value in (named or {}):
            return (named or {})[item.value]  # {"one_hot": one_hot_linear, ...}
        if not isinstance(item, cst.Call):
            continue
        ctor = call_name(item) or ""
        ctor = (builders or {}).get(ctor, ctor)
        if framework_of(ctor, scan):
            return ctor
    return None


def find_trained_models(module: cst.Module, scan: Scan) -> list[TrainedModel]:
    """Models assigned from a known constructor (or walked from a collection of them) and
    trained later in the same block."""
    found: list[TrainedModel] = []
    collections: dict[str, str] = {}
    builders, collection_builders = _builder_ctors(module, scan)
    named: dict[str, str] = {}  # names bound to a model so far, with its constructor
    for body, ctx in _blocks(module):
        for index, stmt in enumerate(body):
            candidates: list[tuple[str, str, list]] = []  # (var, ctor, statements that may train it)
            if isinstance(stmt, cst.For) and isinstance(stmt.body, cst.IndentedBlock):
                looped = _loop_models(stmt, collections, scan)
                if looped:
                    candidates.append((*looped, list(stmt.body.body)))
            else:
                for target, value in _single_assignments(stmt):
                    name = dotted(target) or ""
                    # `state.model = LogisticRegression()`, trained as `state.model.fit(X, y)`
                    # (a class's self.model is found per method, below).
                    attribute = isinstance(target, cst.Attribute) and name and not name.startswith("self.")
                    if not (isinstance(target, cst.Name) or attribute):
                        continue
                    held = _collection_ctor(value, scan, builders, named)
                    if held is None and isinstance(value, cst.Call):
                        held = collection_builders.get(call_name(value) or "")  # models = build_models()
                    if held and isinstance(target, cst.Name):
                        collections[name] = held
                    fitted = fitted_constructor(value)
                    booster = native_booster(value, scan)
                    element = _fitted_element(value, collections)
                    if element is not None:
                        # `best = candidates[best_name].fit(X, y)`: fit returns the element it trains.
                        candidates.append((name, element, [stmt, *body[index + 1 :]]))
                    elif booster is not None:
                        # `bst = xgb.train(params, dtrain)`: the returned Booster is trained here.
                        candidates.append((name, booster, [stmt, *body[index + 1 :]]))
                    elif fitted is not None:
                        # `final = Ridge(alpha=a).fit(X, y)`: built and trained by this very statement.
                        ctor = call_name(fitted) or ""
                        candidates.append((name, builders.get(ctor, ctor), [stmt, *body[index + 1 :]]))
                    elif isinstance(value, cst.Name) and isinstance(target, cst.Name) and value.value in named:
                        # `model = embedding_net`: a second name for a built model, trained under it.
                        candidates.append((name, named[value.value], body[index + 1 :]))
                    elif isinstance(value, cst.Call):
                        ctor = call_name(_unchained(value)) or ""
                        ctor = builders.get(ctor, ctor)  # model = build(cfg) builds what build returns
                        candidates.append((name, ctor, body[index + 1 :]))
            for var, ctor, later_stmts in candidates:
                framework = framework_of(ctor, scan)
                if framework is None:
                    continue
                named[var] = ctor
                trained_after = None
                handed = False  # to worker processes: trained once they are joined
                for later in later_stmts:
                    if later is stmt or _trains(later, var, scan):
                        trained_after = later
                        handed = handed or any(_hands_to_worker(c, var, scan) for c in calls_in(later))
                    elif handed and _waits_for_workers(later):
                        trained_after = later
                found.append(
                    TrainedModel(
                        var, ctor.rsplit(".", 1)[-1], framework, stmt, trained_after,
                        scan.line_of(stmt), scan.line_of(trained_after) if trained_after else None, ctx,
                    )
                )
    return found + _attribute_models(module, scan)


def _fitted_element(value: cst.BaseExpression, collections: dict[str, str]) -> str | None:
    """The constructor held by `models` in `models[key].fit(X, y)`, else None."""
    if (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in ("fit", "partial_fit")
            and isinstance(value.func.value, cst.Subscript)):
        return collections.get(code(value.func.value.value))
    return None


def _attribute_models(module: cst.Module, scan: Scan) -> list[TrainedModel]:
    """Models a class keeps in an attribute (self.model = Ctor(...)) and trains in a method."""
    found: list[TrainedModel] = []
    for cls in nodes_of(module, cst.ClassDef):
        methods = [f for f in cls.body.body if isinstance(f, cst.FunctionDef)]
        blocks = [b for f in methods if isinstance(f.body, cst.IndentedBlock)
                  for b in _nested_blocks(list(f.body.body), Ctx(function=f, cls=cls))]
        for body, ctx in blocks:
            for stmt in body:
                for target, value in _single_assignments(stmt):
                    var = dotted(target) or ""
                    if not isinstance(value, cst.Call) or not var.startswith("self.") or var.count(".") != 1:
                        continue
                    ctor = call_name(_unchained(value)) or ""
                    framework = framework_of(ctor, scan)
                    if framework is None:
                        continue
                    trained = [(later, later_ctx) for later_body, later_ctx in blocks for later in later_body
                               if _trains(later, var, scan)]
                    after, after_ctx = trained[-1] if trained else (None, ctx)
                    found.append(TrainedModel(
                        var, ctor.rsplit(".", 1)[-1], framework, stmt, after,
                        scan.line_of(stmt), scan.line_of(after) if after else None, after_ctx,
                    ))
    return found
