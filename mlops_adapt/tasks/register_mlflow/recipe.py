"""Recipe register-mlflow: log the trained model with its MLflow flavor and register it."""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from mlops_adapt.analysis.exprs import (
    all_statements,
    call_name,
    calls_in,
    code,
    dotted,
    fresh_name,
    iter_nodes,
    last_name,
    names_in,
    nested_blocks,
    nodes_of,
)
from mlops_adapt.analysis.models import _trains, find_trained_models, framework_of
from mlops_adapt.analysis.scan import TrainedModel
from mlops_adapt.tasks.register_mlflow import SPEC
from mlops_adapt.tasks.register_mlflow.held import (
    assigned_pairs,
    kept_from_collection,
    returned_by_repeated_call,
    why_unheld,
)
from mlops_adapt.tasks.register_mlflow.skops_trust import SEARCH_CVS, serialization_args
from mlops_adapt.tasks.track_mlflow.recipe import MlflowBackend
from mlops_adapt.transforms.base import Example, Recipe, SkipFile, Unsupported
from mlops_adapt.transforms.rewriter import apply_plan
from mlops_adapt.transforms.tracking import TrackingPlanner, existing_use, project_name

FLAVORS = {"sklearn": "mlflow.sklearn", "torch": "mlflow.pytorch", "xgboost": "mlflow.xgboost",
           "lightgbm": "mlflow.lightgbm"}
# torch.nn.utils.parametrizations (weight_norm, spectral_norm, orthogonal) and register_parametrization:
# a module holding one is saved only through its state_dict, never pickled whole.
PARAMETRIZED = re.compile(r"\b(parametrizations|register_parametrization)\b")


def choose_model(models: list[TrainedModel], saved: set[str]) -> TrainedModel | None:
    """The model to register: a saved one first, else the last one trained."""
    trained = [m for m in models if m.trained_after is not None]
    # Within one function (or the module), "last" is the last in the text: a final fit after a
    # cross-validation loop, not the per-fold model the loop's block lists after it.
    scopes = list(dict.fromkeys(id(m.ctx.function) for m in trained))
    trained.sort(key=lambda m: (scopes.index(id(m.ctx.function)), m.trained_line or 0))
    for model in reversed(trained):
        if model.var in saved:
            return model
    return trained[-1] if trained else None


class RegisterMlflowModel(Recipe):
    """Register the trained model in the MLflow Model Registry.

    Finds the model the script trains (the one a sweep keeps as its best, in a name or as the
    element it takes out of a dict or list of fitted models, also one a builder function returns,
    else a saved one, else the last one trained; `clf = SVC().fit(X, y)` counts, and so does a
    model handed to a trainer object of the script whose fit() trains it), and
    right after its training (or after it is saved with joblib, pickle or torch.save) logs it
    with the matching MLflow flavor (`mlflow.sklearn`, `mlflow.pytorch`, `mlflow.xgboost` or
    `mlflow.lightgbm`; for `bst = xgb.train(params, dtrain)` the Booster, never the DMatrix) under
    `name="model"` with `registered_model_name`, inside an MLflow run (the script's own run when it has one).
    sklearn models (and LightGBM's sklearn-style estimators) keep MLflow's default serialization
    (skops), trusting the types of the model the script trained that come from installed libraries
    (read at run time: scikit-learn, numpy, pandas, boosting libraries...), a few data-only
    standard types, and a plain builtin type such as `object` the script hands it, nothing else; a model
    holding the script's own function, class or a lambda is refused with the reason, unless the user
    trusts that code (`--option own_code=cloudpickle`: it is pickled by value). torch models are
    pickled: MLflow's default (torch.export) needs an input example and would freeze the model
    in training mode; torch pickles no module with parametrized layers (weight_norm), so for those a
    copy with the parametrizations folded into plain weights (the same outputs) is registered. The registered name comes from
    `--option model_name=NAME`, else from the file name. A model the script only scores with
    cross-validation is first fitted once on the same data (`model.fit(X, y)`), since
    cross-validation leaves no fitted model behind.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            """
            import joblib
            from sklearn.datasets import load_wine
            from sklearn.tree import DecisionTreeClassifier

            def main():
                X, y = load_wine(return_X_y=True)
                clf = DecisionTreeClassifier(max_depth=3)
                clf.fit(X, y)
                joblib.dump(clf, "model.joblib")

            if __name__ == "__main__":
                main()
            """,
            """
            import joblib
            from sklearn.datasets import load_wine
            from sklearn.tree import DecisionTreeClassifier
            import importlib.metadata
            import mlflow
            import mlflow.sklearn
            import skops.io

            def main():
                X, y = load_wine(return_X_y=True)
                clf = DecisionTreeClassifier(max_depth=3)
                clf.fit(X, y)
                joblib.dump(clf, "model.joblib")
                mlflow.sklearn.log_model(clf, name="model", registered_model_name="mlops-adapt", skops_trusted_types=[t for installed in [importlib.metadata.packages_distributions()] for t in skops.io.get_untrusted_types(data=skops.io.dumps(clf)) if t.split(".")[0] in installed or t in ("collections.OrderedDict", "functools.partial")])

            if __name__ == "__main__":
                with mlflow.start_run(run_name="mlops-adapt"):
                    main()
            """,
        ),
    ]
    NOOP = [
        """
        import mlflow
        from sklearn.linear_model import LinearRegression

        with mlflow.start_run():
            model = LinearRegression().fit([[0], [1]], [0, 1])
            mlflow.sklearn.log_model(model, name="model", registered_model_name="lr")
        """,
    ]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if "registered_model_name" in (self.source or tree.code) or "register_model(" in (self.source or tree.code):
            raise SkipFile("the model is already registered with MLflow")
        scan = self.scan(tree)
        models = find_trained_models(tree, scan)
        refit: str | None = None
        if not models or all(m.trained_after is None for m in models):
            cross_validated = _cross_validated(tree, models)
            if cross_validated is not None:
                # Only scored by cross-validation: fit it once on the same data, then register it.
                models, refit = [cross_validated[0]], cross_validated[1]
            elif scan.fit_lines or scan.torch_loops:
                raise Unsupported(why_unheld(tree))
            else:
                # A numpy loop that reports a loss trains no model object: nothing to register.
                raise SkipFile("nothing to adapt: no trained model found")
        saved = {obj for _, obj, _, _, _ in scan.artifacts if obj}
        saved |= {obj.split(".")[0] for obj in saved}
        model = choose_model(models, saved)
        assert model is not None
        # A function that builds and trains a new model per call, called in a loop: the model the
        # script keeps is what the caller keeps of its results, not each model inside it.
        model = returned_by_repeated_call(tree, model)
        model = _one_framework_for_a_mixed_collection(tree, scan, model)
        flavor = FLAVORS.get(model.framework)
        if flavor is None:
            raise Unsupported(f"no MLflow flavor is known for a {model.framework} model")
        anchor = model.trained_after
        if anchor is scan.main_guard and anchor is not None:
            # main() trains the module-level model: log it right after that call, inside the guard.
            inner = [st for st in anchor.body.body if _trains(st, model.var, scan)]
            anchor = inner[-1] if inner else anchor.body.body[-1]
        for _, obj, _, _, stmt in scan.artifacts:
            if obj and obj.split(".")[0] == model.var and _same_block(tree, stmt, anchor):
                anchor = stmt
        # `model.load_state_dict(torch.load(best))` after training: the script keeps the reloaded weights.
        anchor = _reloaded_after(tree, anchor, model.var) or anchor
        while _is_run_context(anchor):
            # Training ran inside the script's own `with mlflow.start_run():` (a tracking edit):
            # log the model at the end of that run, not in a second run started after it.
            anchor = anchor.body.body[-1]
        logged = f"{model.var}.best_estimator_" if model.constructor in SEARCH_CVS else model.var
        if _wraps_for_ddp(tree, model.var):
            # A DistributedDataParallel wrapper needs a process group to load: the model is its `.module`,
            # logged where the script saves that (under its rank-0 guard), so one rank registers it.
            logged = f"{model.var}.module"
            anchor = _guarded_save(tree, anchor, model.var) or anchor
        name = self.option("model_name", project_name(self.options.path))
        registered = f'"{name}"'
        best = _best_of_sweep(tree, model)
        loop = _training_loop(tree, model)
        if best is not None:
            # A sweep keeps its winner in `best_model = clf`: register that one, once, after the loop.
            anchor, logged = best
        elif loop is not None and (kept := kept_from_collection(tree, loop, model)) is not None:
            # The loop fills `fitted[name] = model` and the script then picks `fitted[best_name]`:
            # that element is the model it keeps.
            anchor, logged = kept
            # `best = fitted[best_name]`, then `best.fit(X, y)`: the refit is the model the script keeps.
            anchor = _refit_after(tree, anchor, logged, scan) or anchor
            if model.constructor in SEARCH_CVS:
                logged = f"{logged}.best_estimator_"
        elif loop is not None:
            # Never one version per iteration: refit the winner (or on all folds) after the loop,
            # or give each compared model its own registered name.
            loop_anchor, loop_refit, registered = _loop_registration(tree, loop, model, name)
            anchor, refit = loop_anchor or anchor, loop_refit or refit
        use = existing_use(scan, "mlflow", {"start_run"}, set())
        planner = TrackingPlanner(tree, MlflowBackend(name), lifecycle=not use.has_run, scan=scan)
        planner.plan_runs(extra_anchors=(anchor,))
        if refit:
            planner.plan.add_after(anchor, refit)
        own_code = self.option("own_code", "refuse")
        if own_code not in ("refuse", "cloudpickle"):
            raise Unsupported(f"--option own_code must be refuse or cloudpickle, got {own_code!r}")
        extra = serialization_args(tree, model, logged, trust_own_code=own_code == "cloudpickle")
        if model.framework == "torch" and PARAMETRIZED.search(tree.code):
            logged = _plain_copy(planner, anchor, logged, names_in(tree))
        planner.plan.add_after(
            anchor, f'{flavor}.log_model({logged}, name="model", registered_model_name={registered}{extra})'
        )
        planner.plan.add_import("mlflow")
        configures_logging = any(last_name(c) == "basicConfig" for c in calls_in(tree))
        if model.framework != "torch" or not configures_logging:
            # `import mlflow.pytorch` at the top adds a handler to the root logger, so the script's own
            # logging.basicConfig(...) after it would do nothing and its log lines vanish; mlflow
            # loads the flavor lazily at `mlflow.pytorch.log_model` instead.
            planner.plan.add_import(flavor)
        if "skops" in extra:
            planner.plan.add_import("skops.io")
            planner.plan.add_import("importlib.metadata")
        return apply_plan(tree, planner.plan)


def _plain_copy(planner: TrackingPlanner, anchor: cst.CSTNode, logged: str, taken: set[str]) -> str:
    """Add, after the anchor, a copy of the torch model with its parametrizations folded into plain
    tensors; the copy's name, to log in the model's place.

    torch pickles no parametrized module ("only supported through state_dict()"), and MLflow's other
    format (torch.export) does not fit here (skops_trust.SERIALIZATION). Folded, each weight holds the
    value the parametrization computes, so the registered model gives the trained model's outputs;
    it is folded in eval mode (spectral_norm runs no power iteration there), then set back to the
    model's mode. deepcopy shares each parametrized layer's class with the model, and removing a
    parametrization deletes its property from that class: the copy's layer first gets a class of its
    own, else the trained model would lose its weights."""
    plain = fresh_name(f"{logged.rsplit('.', 1)[-1].strip('_') or 'model'}_plain", taken)
    lines = [
        f"{plain} = copy.deepcopy({logged}).eval()",
        (f"for plain_layer in {plain}.modules():\n"
         f"    if torch.nn.utils.parametrize.is_parametrized(plain_layer):\n"
         f"        plain_class = type(plain_layer)\n"
         f"        plain_layer.__class__ = type(plain_class.__name__, plain_class.__bases__, "
         '{key: value for key, value in vars(plain_class).items() if key not in ("__dict__", "__weakref__")})\n'
         f"        for plain_tensor in list(plain_layer.parametrizations):\n"
         f"            torch.nn.utils.parametrize.remove_parametrizations(plain_layer, plain_tensor, leave_parametrized=True)"),
        f"{plain}.train({logged}.training)",
    ]
    statements = [cst.parse_statement(line) for line in lines]
    comment = (f"`{logged}` has parametrized layers (weight_norm...), which torch saves only through state_dict:"
               f"\na copy with them folded into plain weights (the same outputs) is registered. Each copied layer"
               f"\ngets a class of its own first: removing a parametrization edits the class it shares with `{logged}`.")
    first = statements[0]
    statements[0] = first.with_changes(
        leading_lines=[cst.EmptyLine(comment=cst.Comment(f"# {line}")) for line in comment.splitlines()])
    for statement in statements:
        planner.plan.add_after(anchor, statement)
    planner.plan.add_import("copy")
    planner.plan.add_import("torch")
    return plain


# Estimators with scikit-learn's API: a collection mixing them is logged with the sklearn flavor
# (skops saves an XGBClassifier or LGBMRegressor too), since which one the script keeps is only
# known when it runs.
_SKLEARN_API = frozenset({"sklearn", "xgboost", "lightgbm"})


def _one_framework_for_a_mixed_collection(tree: cst.Module, scan, model: TrainedModel) -> TrainedModel:
    """The model with the one framework every model of the collection its loop walks shares:
    `{"rf": RandomForestClassifier(), "xgb": XGBClassifier()}` -> sklearn. Unsupported for a mix
    no single flavor loads (a torch network beside a scikit-learn estimator)."""
    if not isinstance(model.defined_at, cst.For):
        return model
    walked = model.defined_at.iter
    if isinstance(walked, cst.Call) and isinstance(walked.func, cst.Attribute):
        walked = walked.func.value
    name = code(walked)
    builders = {f.name.value: f for f in nodes_of(tree, cst.FunctionDef)}
    literals: list[cst.BaseExpression] = []
    for stmt in all_statements(tree):
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            for lhs, rhs in assigned_pairs(small):
                if code(lhs) != name:
                    continue
                literals.append(rhs)
                if isinstance(rhs, cst.Call) and (func := builders.get(code(rhs.func))) is not None:
                    literals += [r.value for r in nodes_of(func, cst.Return) if r.value is not None]
    frameworks = {framework_of(call_name(c) or "", scan) for lit in literals
                  if isinstance(lit, (cst.Dict, cst.List, cst.Tuple)) for c in calls_in(lit)} - {None}
    if len(frameworks) <= 1:
        return model
    if frameworks <= _SKLEARN_API:
        return replace(model, framework="sklearn")
    raise Unsupported(f"`{name}` mixes models of {', '.join(sorted(frameworks))}: no one MLflow flavor logs "
                      "whichever of them the script keeps")


def _is_run_context(stmt) -> bool:
    """A `with mlflow.start_run(...):` statement."""
    return isinstance(stmt, cst.With) and any(
        isinstance(item.item, cst.Call) and dotted(item.item.func) == "mlflow.start_run"
        for item in stmt.items
    )


def _best_of_sweep(tree: cst.Module, model: TrainedModel) -> tuple[cst.CSTNode, str] | None:
    """(the loop, "best_model") when a loop trains the model and keeps the best in another name."""
    for loop in nodes_of(tree, cst.For):
        inner = list(all_statements(loop.body))
        if not any(s is model.defined_at for s in inner):
            continue
        for stmt in inner:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                for lhs, rhs in assigned_pairs(small):
                    if isinstance(lhs, cst.Name) and isinstance(rhs, cst.Name) and rhs.value == model.var:
                        return loop, lhs.value
    return None


def _training_loop(tree: cst.Module, model: TrainedModel) -> cst.For | None:
    """The innermost for loop whose body defines and trains the model, if any."""
    if isinstance(model.defined_at, cst.For):
        return model.defined_at  # `for name, model in models.items(): model.fit(...)`
    found = None
    for loop in nodes_of(tree, cst.For):
        inner = {id(s) for s in all_statements(loop.body)}
        innermost = found is None or id(loop) in {id(s) for s in all_statements(found.body)}
        if id(model.defined_at) in inner and innermost:
            found = loop
    return found


def _loop_registration(tree: cst.Module, loop: cst.For, model: TrainedModel, name: str):
    """(anchor, refit statement or None, registered-name expression) for a model trained in a loop."""
    target = code(loop.target)
    named = isinstance(loop.target, cst.Tuple) and isinstance(loop.target.elements[0].value, cst.Name)
    nested = any(id(loop) in {id(x) for x in all_statements(outer.body)} for outer in nodes_of(tree, cst.For))
    if named and not nested and (code(loop.iter).endswith(".items()") or code(loop.iter).startswith("zip(")):
        # Models compared by name: each is its own registered model, one version each (a comparison
        # repeated over datasets would give each name several unrelated versions: refused below).
        key = code(loop.target.elements[0].value)
        return None, None, f'f"{name}-{{{key}}}"'
    fits = [c for c in calls_in(loop.body) if last_name(c) == "fit" and code(c.func).startswith(model.var + ".")]
    if not fits:
        raise Unsupported("the loop trains the model in a way the recipe cannot refit after it")
    fit_args = [a for a in fits[0].args if a.keyword is None]
    if "split(" in code(loop.iter):
        # Manual k-fold: each fold's model is an estimate; the model to register is fitted on all data.
        data = [code(a.value).split("[")[0] for a in fit_args]
        return loop, f"{model.var}.fit({', '.join(data)})", f'"{name}"'
    record = _kept_best_record(tree, model)
    if record is not None:
        return record[0], record[1], f'"{name}"'
    setting = _kept_best_setting(loop, model)
    if setting is not None:
        keyword, best_name = setting
        args = ", ".join(code(a.value) for a in fit_args)
        return loop, f"{model.var}.set_params({keyword}={best_name}).fit({args})", f'"{name}"'
    raise Unsupported(
        f"the loop over `{code(loop.iter)}` trains several models ({target}) and the script keeps none "
        "as the best: registering one of them would be arbitrary"
    )


def _kept_best_record(tree: cst.Module, model: TrainedModel):
    """Nested sweep loops append (lr, depth, acc) to `results`, then `best = max(results, ...)`:
    refit the model with the winning settings after that line. (anchor, refit, name) or None."""

    fits = [c for c in calls_in(model.defined_at.body if isinstance(model.defined_at, cst.For) else tree)
            if last_name(c) == "fit" and code(c.func).startswith(model.var + ".")]
    ctor = next(iter(calls_in(model.defined_at)), None) if isinstance(model.defined_at, cst.SimpleStatementLine) else None
    if ctor is None or not fits:
        return None
    for block in nested_blocks(list(tree.body), into_defs=True):
        for index, stmt in enumerate(block):
            if not isinstance(stmt, cst.For) or id(model.defined_at) not in {id(x) for x in all_statements(stmt.body)}:
                continue
            loops = [stmt] + [x for x in all_statements(stmt.body) if isinstance(x, cst.For)
                              and id(model.defined_at) in {id(y) for y in all_statements(x.body)}]
            loop_vars = {x.target.value for x in loops if isinstance(x.target, cst.Name)}
            keywords = {a.value.value: a.keyword.value for a in ctor.args
                        if a.keyword and isinstance(a.value, cst.Name) and a.value.value in loop_vars}
            if not keywords:
                return None
            for call in calls_in(stmt.body):
                if last_name(call) != "append" or not call.args or not isinstance(call.args[0].value, cst.Tuple):
                    continue
                items = [code(e.value) for e in call.args[0].value.elements]
                records = code(call.func).rsplit(".", 1)[0]
                for later in block[index + 1:]:
                    for small in getattr(later, "body", ()) if isinstance(later, cst.SimpleStatementLine) else ():
                        pairs = assigned_pairs(small)
                        if len(pairs) != 1 or not isinstance(pairs[0][1], cst.Call):
                            continue
                        chosen, value = pairs[0]
                        first = value.args[0].value if value.args else None
                        if last_name(value) in ("max", "min") and first is not None and code(first) == records \
                                and isinstance(chosen, cst.Name):
                            settings = ", ".join(f"{kw}={chosen.value}[{items.index(var)}]"
                                                 for var, kw in keywords.items() if var in items)
                            if not settings:
                                return None
                            args = ", ".join(code(a.value) for a in fits[0].args if a.keyword is None)
                            return later, f"{model.var}.set_params({settings}).fit({args})", None
    return None


def _kept_best_setting(loop: cst.For, model: TrainedModel) -> tuple[str, str] | None:
    """("n_neighbors", "best_k") for `knn = KNN(n_neighbors=k)` and `best_k, best_acc = k, acc` in the loop."""
    if not isinstance(loop.target, cst.Name) or not isinstance(model.defined_at, cst.SimpleStatementLine):
        return None
    var = loop.target.value
    ctor = next((c for c in calls_in(model.defined_at) if c.func is not None), None)
    keyword = next((a.keyword.value for a in (ctor.args if ctor else ()) if a.keyword
                    and isinstance(a.value, cst.Name) and a.value.value == var), None)
    if keyword is None:
        return None
    for stmt in all_statements(loop.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            for lhs, rhs in assigned_pairs(small):
                if isinstance(lhs, cst.Name) and isinstance(rhs, cst.Name) and rhs.value == var:
                    return keyword, lhs.value
    return None


def _cross_validated(tree: cst.Module, models: list[TrainedModel]) -> tuple[TrainedModel, str] | None:
    """(model, "model.fit(X, y)") for a model only passed to cross_val_score / cross_validate."""
    for model in reversed(models):
        func = model.ctx.function
        statements = list(func.body.body) if func is not None else list(tree.body)
        for stmt in statements:
            for call in calls_in(stmt):
                args = [a for a in call.args if a.keyword is None]
                if (last_name(call) in ("cross_val_score", "cross_validate") and len(args) >= 3
                        and code(args[0].value) == model.var):
                    fit = f"{model.var}.fit({code(args[1].value)}, {code(args[2].value)})"
                    return replace(model, trained_after=stmt), fit
    return None


def _wraps_for_ddp(tree: cst.Module, var: str) -> bool:
    """`var = DistributedDataParallel(model)` (or its alias `DDP(...)`) somewhere in the script."""
    return any(
        len(a.targets) == 1 and code(a.targets[0].target) == var and isinstance(a.value, cst.Call)
        and last_name(a.value) in ("DistributedDataParallel", "DDP")
        for a in nodes_of(tree, cst.Assign)
    )


def _guarded_save(tree: cst.Module, anchor: cst.CSTNode | None, var: str) -> cst.BaseStatement | None:
    """The save of `var.module` inside an `if` that follows the anchor in its own block
    (`if rank == 0: ... torch.save(ddp_model.module.state_dict(), path)`), or None."""
    for node in iter_nodes(tree, skip=(cst.BaseExpression, cst.BaseSmallStatement)):
        body = getattr(node, "body", None)
        if not isinstance(body, (list, tuple)) or not any(x is anchor for x in body):
            continue
        index = next(i for i, x in enumerate(body) if x is anchor)
        for later in body[index + 1:]:
            if not isinstance(later, cst.If):
                continue
            for stmt in later.body.body:
                if isinstance(stmt, cst.SimpleStatementLine) and any(
                    code(c.func) == "torch.save" and c.args and code(c.args[0].value).startswith(f"{var}.module")
                    for c in calls_in(stmt)
                ):
                    return stmt
    return None


def _refit_after(tree: cst.Module, anchor: cst.CSTNode | None, var: str, scan) -> cst.BaseStatement | None:
    """The last statement after the anchor in its own block that trains `var` again, or saves it
    once retrained; None when none does."""
    for node in iter_nodes(tree, skip=(cst.BaseExpression, cst.BaseSmallStatement)):
        body = getattr(node, "body", None)
        if not isinstance(body, (list, tuple)) or not any(x is anchor for x in body):
            continue
        index = next(i for i, x in enumerate(body) if x is anchor)
        trained = [i for i in range(index + 1, len(body)) if _trains(body[i], var, scan)]
        if not trained:
            return None
        saves = {id(stmt) for _, obj, _, _, stmt in scan.artifacts if obj == var}
        last = max([trained[-1]] + [i for i in range(trained[-1] + 1, len(body)) if id(body[i]) in saves])
        return body[last]
    return None


def _reloaded_after(tree: cst.Module, anchor: cst.CSTNode | None, var: str) -> cst.BaseStatement | None:
    """The last `var.load_state_dict(...)` statement after the anchor in its own block, or None."""
    for node in iter_nodes(tree, skip=(cst.BaseExpression, cst.BaseSmallStatement)):
        body = getattr(node, "body", None)
        if not isinstance(body, (list, tuple)) or not any(x is anchor for x in body):
            continue
        index = next(i for i, x in enumerate(body) if x is anchor)
        reloads = [
            later for later in body[index + 1:] if isinstance(later, cst.SimpleStatementLine) and any(
                isinstance(c.func, cst.Attribute) and c.func.attr.value == "load_state_dict"
                and code(c.func.value) == var for c in calls_in(later))
        ]
        return reloads[-1] if reloads else None
    return None


def _same_block(tree: cst.Module, a: cst.CSTNode, b: cst.CSTNode | None) -> bool:
    """True when two statements sit in the same statement list."""
    if b is None:
        return False
    wanted = {id(a), id(b)}
    for node in iter_nodes(tree, skip=(cst.BaseExpression, cst.BaseSmallStatement)):
        body = getattr(node, "body", None)
        if isinstance(body, (list, tuple)) and wanted <= {id(x) for x in body}:
            return True
    return False
