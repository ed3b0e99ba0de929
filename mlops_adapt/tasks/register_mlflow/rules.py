"""V2/V4 rules for register-mlflow: the trained model itself, after training, is logged with its flavor and registered."""

from __future__ import annotations

import ast
import re

import libcst as cst

from mlops_adapt.analysis.exprs import calls_in, code
from mlops_adapt.tasks.hpo_optuna.dataflow import Frame, Program, last_attr, root_name
from mlops_adapt.tasks.optimize_prune.rules import (
    class_changes_beyond_own_copy,
    gives_a_copy_its_own_class,
)
from mlops_adapt.tasks.register_mlflow import SPEC
from mlops_adapt.tasks.track_mlflow.rules import ENDS, STARTS
from mlops_adapt.verify.rules.base import Recommendation, TaskRules
from mlops_adapt.verify.rules.run_shape import (
    forced_pickle,
    logs_a_data_loader,
    registers_every_model_of_a_loop,
    run_before_config,
    run_on_import,
    unguarded_run_end,
)
from mlops_adapt.verify.rules.tracking_common import call_sites, library_calls, trains

# `model.fit(X, y)`, or `knn.set_params(n_neighbors=best_k).fit(X, y)`: the kept winner refitted.
_REFIT = re.compile(
    r"[A-Za-z_]\w*(\.set_params\(([A-Za-z_]\w*=[A-Za-z_][\w\[\]]*(, )?)+\))?\.fit\([A-Za-z_][\w\[\]:, .]*\)"
)
# The fold of a parametrized torch model's copy before it is logged (recipe._plain_copy): loops over
# the copy's layers that only remove their parametrizations.
_FOLD = re.compile(
    r"for plain_layer\w* in [A-Za-z_]\w*_plain\w*\.modules\(\):"
    r"|if torch\.nn\.utils\.parametrize\.is_parametrized\(plain_layer\w*\):"
    r"|for plain_tensor\w* in list\(plain_layer\w*\.parametrizations\):"
)
FLAVOR_OF = {"sklearn": "sklearn", "torch": "pytorch", "xgboost": "xgboost", "lightgbm": "lightgbm"}


class RegisterMlflowRules(TaskRules):
    TASK = SPEC.id
    # skops (MLflow's own sklearn serializer) names the types a trained estimator must be trusted with;
    # importlib.metadata says which of them come from installed libraries.
    HELPER_NAMES = frozenset({"skops", "importlib"})

    def allowed_addition(self, added_stmt: str) -> bool:
        # A model only scored by cross-validation is fitted once on the same data to be registered.
        # A parametrized torch model is registered as a copy with its parametrizations folded.
        return bool(_REFIT.fullmatch(added_stmt.strip()) or _FOLD.fullmatch(added_stmt.strip()))

    def allowed_capability(self, use) -> bool:
        # The parametrized model's copy: each layer gets its own class before its fold (recipe._plain_copy).
        return gives_a_copy_its_own_class(use)

    def postconditions(self, original, candidate, facts, options):
        foreign = class_changes_beyond_own_copy(original, candidate)
        if foreign:
            return foreign
        calls = library_calls(candidate, "mlflow", STARTS, ENDS)
        problems = []
        log_models = [c for c in calls if c.name.endswith(".log_model")]
        problems += forced_pickle(log_models)
        problems += trusts_every_type(log_models)
        problems += registers_every_model_of_a_loop(candidate)
        problems += logs_a_data_loader(candidate, log_models)
        problems += run_on_import(original, candidate, STARTS)
        problems += run_before_config(candidate, STARTS)
        problems += unguarded_run_end(original, candidate, STARTS, ENDS)
        registers = [c for c in calls if c.name == "mlflow.register_model"]
        if not log_models and not registers:
            return ["the model is never logged with an MLflow flavor (mlflow.<flavor>.log_model)"]
        registered = registers or [
            c for c in log_models if any(a.keyword and a.keyword.value == "registered_model_name" for a in c.node.args)
        ]
        if not registered:
            problems.append("the logged model is not registered (registered_model_name=...)")
        # No run is required: outside one, log_model logs (and registers) the model on its own.
        for c in log_models:
            if any(a.keyword and a.keyword.value == "artifact_path" for a in c.node.args):
                problems.append(f"`{c.name}` at line {c.line} uses artifact_path=, deprecated in MLflow 3 (use name=)")
        trained = trained_models(facts)
        if trained and log_models:
            frameworks = {m.framework for m in trained}
            flavors = {c.name.split(".")[1] for c in log_models}
            accepted = {FLAVOR_OF.get(f, f) for f in frameworks} | {"pyfunc"}
            if any(m.framework in ("xgboost", "lightgbm") and m.constructor != "Booster" for m in trained):
                accepted.add("sklearn")  # an XGBClassifier is a scikit-learn estimator too; a native Booster is not
            if not flavors & accepted:
                problems.append(
                    f"model flavor {sorted(flavors)} does not match the trained model's framework {sorted(frameworks)}"
                )
            problems += _logged_objects_are_models(candidate, log_models, trained)
            problems += _logged_before_training(candidate, log_models, trained)
        if log_models and registers:
            problems += _registered_before_logged(candidate, registers, log_models)
        return problems

    def test_constants(self, original: str, candidate: str, facts: dict) -> dict:
        """The classes a registered model may be: the model classes the original script builds."""
        return {"MODEL_CLASSES": model_classes(original)}


# Objects that hold data, not a trained model, although the analysis may see them "trained"
# (a DataLoader is iterated in the training loop).
_DATA_HOLDERS = re.compile(
    r"(DataLoader|Loader|Dataset|Subset|TensorDataset|DataFrame|Series|ndarray|Tensor|DMatrix|Pool)$")
# Native training functions of the boosting libraries: what they return is a Booster.
_NATIVE_TRAINERS = ("xgboost.train", "lightgbm.train")
# The keyword each flavor's log_model takes the model under.
_MODEL_KEYWORDS = ("sk_model", "pytorch_model", "xgb_model", "lgb_model", "model", "python_model", "keras_model")
# Calls whose result is still the model they are given (sklearn's fit returns self, torch's to/eval too).
_KEEPS_MODEL = frozenset({
    "deepcopy", "copy", "max", "min", "sorted", "get", "to", "cpu", "cuda", "eval", "train", "fit",
    "double", "float", "half", "pop", "next", "iter", "values", "items",
})
_SEARCH_CVS = frozenset({"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV"})
_CLASS_OF = {"make_pipeline": "Pipeline", "make_union": "FeatureUnion"}
_MODEL_LIBRARIES = ("sklearn", "xgboost", "lightgbm", "catboost", "torch.nn", "torchvision.models")


def trusts_every_type(log_models) -> list:
    """`skops_trusted_types=skops.io.get_untrusted_types(...)` as is: the allow-list admits whatever
    the model holds (a script's own function, builtins.eval), which defeats it. A recommendation."""
    problems = []
    for c in log_models:
        for arg in c.node.args:
            if (arg.keyword and arg.keyword.value == "skops_trusted_types" and isinstance(arg.value, cst.Call)
                    and (code(arg.value.func) or "").endswith("get_untrusted_types")):
                problems.append(Recommendation(
                    f"`{c.name}` at line {c.line} trusts every type skops finds in the model; keep only "
                    "the library's own (e.g. those starting with sklearn., numpy., scipy.)"))
    return problems


def trained_models(facts) -> list:
    """The script's trained models, without the data objects the analysis may count among them."""
    return [m for m in facts.models if m.trained_line and not _DATA_HOLDERS.search(m.constructor)]


def model_classes(source: str) -> list[str]:
    """Class names of the models a script builds: library estimators and networks, its own nn.Module
    classes, and the estimators inside a search (GridSearchCV(SVC(), ...) may register an SVC)."""
    program = Program.parse(source)
    if program is None:
        return []
    imported: dict[str, str] = {}
    for node in ast.walk(program.tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                imported[alias.asname or alias.name.split(".")[0]] = alias.name
    own_modules = {
        name for name, classes in program.classes.items()
        if any(any("Module" in ast.unparse(b) for b in c.bases) for c in classes)
    }
    found: list[str] = []
    for call in program.calls:
        name = last_attr(call.func) or ""
        head = root_name(call.func) or ""
        qualified = imported.get(head, head) + (ast.unparse(call.func)[len(head):] if head else "")
        cls = _CLASS_OF.get(name, name)
        if qualified in _NATIVE_TRAINERS and "Booster" not in found:
            found.append("Booster")  # bst = xgb.train(params, dtrain)
        known = name in own_modules or (qualified.startswith(_MODEL_LIBRARIES) and cls[:1].isupper())
        if known and not _DATA_HOLDERS.search(cls) and cls not in found:
            found.append(cls)
    if any(isinstance(call.func, ast.Subscript) for call in program.calls):
        # `MODELS[cfg["name"]](**params)`: any of the script's own networks may be built from its registry.
        found += sorted(own_modules - set(found))
    return found


def _model_argument(call: ast.Call) -> ast.AST | None:
    """The model a log_model call logs: its first positional argument, or sk_model=, pytorch_model=, ..."""
    if call.args and not isinstance(call.args[0], ast.Starred):
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg in _MODEL_KEYWORDS), None)


def _ast_calls(program: Program, log_models) -> list[tuple[object, ast.Call]]:
    """Each log_model LibCall with its ast node (the n-th call with the same callee text is the n-th one)."""
    by_text: dict[str, list[ast.Call]] = {}
    for call in program.calls:
        by_text.setdefault(ast.unparse(call.func), []).append(call)
    seen: dict[str, int] = {}
    pairs = []
    for c in log_models:
        text = ast.unparse(ast.parse(code(c.node.func), mode="eval").body)
        index = seen.get(text, 0)
        seen[text] = index + 1
        candidates = by_text.get(text, [])
        if index < len(candidates):
            pairs.append((c, candidates[index]))
    return pairs


def _unknown_argument(program: Program, name: ast.Name, frame: Frame) -> bool:
    binding = program.binding.get(id(name))
    if binding is None or not program.is_param(binding):
        return False
    if id(frame.unit) == binding[0] and name.id in frame.env:
        return False
    func = program.scope_node(binding)
    return func is None or not program.call_sites(func)


def _logged_objects_are_models(candidate: cst.Module, log_models, trained) -> list[str]:
    """What log_model logs must be (or come from) one of the script's trained models, not its data."""
    program = Program.parse(candidate.code)
    if program is None:
        return []
    names = {m.var for m in trained}
    holders = model_collections(program.tree, names)

    def is_model(node, frame) -> str | None:
        if isinstance(node, ast.Name) and node.id in names:
            return node.id
        if isinstance(node, ast.Subscript) and _collection_read(node.value) in holders:
            return ast.unparse(node)  # fitted[best_name], filled with the trained models
        if (isinstance(node, ast.Call) and last_attr(node.func) in ("max", "min") and node.args
                and ast.unparse(node.args[0]) in holders):
            return ast.unparse(node)  # max(fitted, key=lambda m: m.score(X_test, y_test))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and _unknown_argument(program, node, frame):
            return "?"  # a parameter no call in the file binds: what it holds cannot be told
        if isinstance(node, ast.Attribute) and ast.unparse(node) in names:
            return ast.unparse(node)
        return None

    problems: list[str] = []
    for c, call in _ast_calls(program, log_models):
        value = _model_argument(call)
        if value is None:
            continue
        pyfunc = c.name.startswith("mlflow.pyfunc.")

        def keeps_model(inner: ast.Call, pyfunc=pyfunc) -> bool:
            return pyfunc or (last_attr(inner.func) or "") in _KEEPS_MODEL or bool(program.callees(inner))

        if program.walk(value, Frame(program.unit(call)), is_model, keeps_model) is None:
            problems.append(
                f"the logged object `{ast.unparse(value)}` (`{c.name}` at line {c.line}) is not a trained model of "
                f"the script (trained: {', '.join(sorted(names))}); log the trained model itself"
            )
    return problems


def _collection_read(value: ast.AST) -> str:
    """`fitted` for `fitted` and for `dict(fitted)` (a list of (label, model) pairs read as a dict)."""
    if isinstance(value, ast.Call) and last_attr(value.func) in ("dict", "OrderedDict") and len(value.args) == 1:
        return ast.unparse(value.args[0])
    return ast.unparse(value)


def model_collections(tree: ast.AST, names: set[str]) -> set[str]:
    """Dicts and lists that hold trained models: filled with `fitted[k] = model` or
    `fitted.append(model)`, or walked by a loop that binds the model (`for n, model in MODELS.items()`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in names:
            found |= {ast.unparse(t.value) for t in node.targets if isinstance(t, ast.Subscript)}
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
              and any(isinstance(a, ast.Name) and a.id in names for a in node.args)):
            found.add(ast.unparse(node.func.value))
        elif isinstance(node, ast.For) and {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)} & names:
            walked = node.iter
            if isinstance(walked, ast.Call) and isinstance(walked.func, ast.Attribute) \
                    and walked.func.attr in ("items", "values"):
                walked = walked.func.value
            found.add(ast.unparse(walked))
    return found


def _logged_before_training(candidate: cst.Module, log_models, trained) -> list[str]:
    """A model logged where no training of it ran yet, but training of it follows."""
    problems: list[str] = []
    by_var = {m.var: m for m in trained}
    sites = call_sites(candidate, [c.node for c in log_models])
    for c in log_models:
        if not c.node.args:
            continue
        model = by_var.get(code(c.node.args[0].value))
        site = sites.get(id(c.node))
        if model is None or site is None:
            continue
        if any(trains(s, model.var, model.framework) for s in site.before()):
            continue
        later = next((t for s in site.after() if (t := trains(s, model.var, model.framework))), None)
        if later:
            problems.append(
                f"`{c.name}` at line {c.line} logs `{model.var}` before it is trained "
                f"(`{later}` runs after it): register the trained model"
            )
    return problems


def _registered_before_logged(candidate: cst.Module, registers, log_models) -> list[str]:
    """`mlflow.register_model(...)` must come after the log_model whose URI it registers."""
    problems: list[str] = []
    sites = call_sites(candidate, [c.node for c in registers + log_models])
    logged = {id(c.node) for c in log_models}
    for c in registers:
        site = sites.get(id(c.node))
        if site is None:
            continue
        before = {id(k) for s in site.before() for k in calls_in(s)}
        after = {id(k) for s in site.after() for k in calls_in(s)}
        if not before & logged and after & logged:
            problems.append(f"`{c.name}` at line {c.line} registers the model before it is logged (log_model runs after it)")
    return problems
