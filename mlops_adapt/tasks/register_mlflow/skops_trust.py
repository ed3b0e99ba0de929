"""How register-mlflow serializes a model: skops for scikit-learn, trusting only the library types
the trained model holds; pickle for torch; and which models it refuses because they hold the
script's own code (unless the user trusts that code: then cloudpickle)."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import (
    all_statements,
    calls_in,
    dotted,
    iter_nodes,
    last_name,
    nodes_of,
)
from mlops_adapt.analysis.scan import TrainedModel
from mlops_adapt.transforms.base import Unsupported

# MLflow 3 saves sklearn models with skops (its default, no pickle) and names the types it must
# trust; these estimators need none (a GaussianProcess does: its fitted kernel_ is a tree of kernel objects).
SKOPS_CLEAN = re.compile(
    r"^(Linear|Logistic|Ridge|Lasso|ElasticNet|SGD|SV[CR]|LinearSV|NuSV|KMeans|MiniBatchKMeans|GaussianNB"
    r"|MultinomialNB|BernoulliNB|StandardScaler|MinMaxScaler|PCA|Perceptron|BayesianRidge|Huber|Quantile)"
)
# Others trust the types skops finds in the model the script just trained, in this process (not a
# file from elsewhere), and only those of installed libraries: the top-level module of the type
# belongs to an installed distribution (scikit-learn, numpy, pandas, lightgbm, ...), which the
# script's own `__main__` code, its local modules and the standard library (builtins.eval) do not.
# So a function of the script's own or `builtins.eval` in the model stays untrusted, and log_model
# refuses it out loud rather than writing an allow-list that admits it at load time. The mapping
# is read once per call (it scans every installed distribution).
SKOPS_INSTALLED = "importlib.metadata.packages_distributions()"
# Standard-library types that hold data only; a partial's function is loaded (and trusted) apart.
SKOPS_SAFE_STDLIB = ("collections.OrderedDict", "functools.partial")
# Python's plain data types, trusted only when the script itself hands one to the model as a value
# (`make_column_selector(dtype_include=object)` keeps `builtins.object`): loading them runs no code,
# unlike builtins.eval or getattr, which stay untrusted.
SKOPS_BUILTIN_TYPES = ("object", "complex", "bytes", "bytearray", "frozenset", "slice", "range")


# torch: MLflow 3's default ("pt2", torch.export) is not a drop-in here. It needs an input example
# (a numpy array: a torch tensor's inferred signature is refused), which a recipe cannot build for an
# arbitrary model; it exports the model as it is where the recipe logs it, right after training, in
# train mode, so dropout stays on in the registered graph, and the loaded graph refuses eval(); and
# it took ~100 s for a one-layer model here. Pickle (what `torch.save(model)` does) keeps the
# script's own class, loaded back to be put in eval mode by its user.
# tests/tracking_public/test_register_serialization.py checks these reasons against the installed MLflow.
SERIALIZATION = {"torch": "pickle"}


def serialization_args(tree: cst.Module, model: TrainedModel, logged: str, trust_own_code: bool = False) -> str:
    """Keyword arguments of log_model that pick and permit the model's serialization; `trust_own_code`:
    the user lets a model holding the script's own code be pickled (with cloudpickle)."""
    fmt = SERIALIZATION.get(model.framework)
    if fmt:
        return f', serialization_format="{fmt}"'
    if model.framework == "lightgbm" and model.constructor.startswith("LGBM"):
        # mlflow.lightgbm saves an LGBMClassifier/LGBMRanker with skops too, trusting only some classes.
        return f", skops_trusted_types={runtime_trust_list(tree, logged)}"
    if model.framework != "sklearn":
        return ""
    # The best estimator of a search holds none of the search's own settings (its scorer, its refit rule).
    held = own_code_held(tree, model, search_settings=logged.endswith(".best_estimator_"))
    if held and trust_own_code:
        # The user trusts the script's code (--option own_code=cloudpickle): cloudpickle carries it by
        # value, so the registered model loads in another process (a joblib file refers to `__main__`).
        return ', serialization_format="cloudpickle"'
    if held:
        raise Unsupported(
            f"the model holds the script's own code ({held}): MLflow saves scikit-learn models with skops, "
            "which loads such code only when it is trusted, and the recipe trusts no code of the script; "
            "every other way pickles that code into the registry (serialization_format=\"cloudpickle\", which "
            "MLflow warns about, or a pyfunc wrapper), and logging only a part (a torch `module_`) would drop "
            "the rest of the model; if you trust that code, run again with --option own_code=cloudpickle")
    # Only a lone estimator of a known-clean kind; a pipeline may hold anything (encoders keep dtypes).
    # `Ridge(alpha=a).fit(X, y)` is a Ridge: its fit (or set_params) returns the same estimator.
    ctor_calls = [last_name(c) or "" for c in calls_in(model.defined_at)
                  if last_name(c) not in ("fit", "partial_fit", "set_params")]
    if ctor_calls and all(SKOPS_CLEAN.match(n) for n in ctor_calls):
        return ""
    return f", skops_trusted_types={runtime_trust_list(tree, logged)}"


def runtime_trust_list(tree: cst.Module, logged: str) -> str:
    """The expression listing the types skops finds in `logged` that come from installed libraries."""
    found = f"skops.io.get_untrusted_types(data=skops.io.dumps({logged}))"
    exact = ", ".join(f'"{t}"' for t in SKOPS_SAFE_STDLIB + tuple(f"builtins.{b}" for b in _builtin_types_given(tree)))
    return (f"[t for installed in [{SKOPS_INSTALLED}] for t in {found} "
            f'if t.split(".")[0] in installed or t in ({exact})]')


def _builtin_types_given(tree: cst.Module) -> list[str]:
    """The plain builtin types the script passes as argument values (`dtype_include=object`, or in a list)."""
    given: set[str] = set()
    for call in calls_in(tree):
        for arg in call.args:
            values = [e.value for e in arg.value.elements] if isinstance(arg.value, (cst.List, cst.Tuple)) else [arg.value]
            given |= {v.value for v in values if isinstance(v, cst.Name)}
    return [b for b in SKOPS_BUILTIN_TYPES if b in given]


# Hyperparameter searches: the recipe registers their best_estimator_.
SEARCH_CVS = frozenset({"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV"})
# Arguments of a hyperparameter search that stay with the search, not with its best_estimator_.
SEARCH_SETTINGS = frozenset({"scoring", "refit", "cv", "error_score"})


class _DropSearchSettings(cst.CSTTransformer):
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if last_name(original_node) not in SEARCH_CVS:
            return updated_node
        kept = [a for a in updated_node.args if a.keyword is None or a.keyword.value not in SEARCH_SETTINGS]
        return updated_node.with_changes(args=kept)


def _without_search_settings(node: cst.CSTNode) -> cst.CSTNode:
    """The node with the settings arguments of its search calls (`GridSearchCV(..., scoring=...)`) removed."""
    return node.visit(_DropSearchSettings())


def _composition(tree: cst.Module, model: TrainedModel, search_settings: bool = False) -> list[cst.CSTNode]:
    """The statements that build the model: its own, and the assignments of the names it is built
    from (`preprocessor = make_column_transformer(...)`, `kernel = RBF() + WhiteKernel()`), in its scope.
    `search_settings`: without a search's own settings (`scoring=make_scorer(gain)`), which its
    best_estimator_ does not hold."""
    scope = model.ctx.function.body if model.ctx.function is not None else tree
    start = model.defined_at.iter if isinstance(model.defined_at, cst.For) else model.defined_at
    if search_settings:
        start = _without_search_settings(start)
    assigned: dict[str, list[cst.CSTNode]] = {}
    for stmt in all_statements(scope):
        for small in stmt.body if isinstance(stmt, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    if isinstance(target.target, cst.Name):
                        assigned.setdefault(target.target.value, []).append(small.value)
    found, todo, seen = [start], [start], set()
    while todo:
        node = todo.pop()
        for name in _names_held(node) - seen:
            seen.add(name)
            for value in assigned.get(name, ()):
                value = _without_search_settings(value) if search_settings else value
                found.append(value)
                todo.append(value)
    return found


def _names_held(node: cst.CSTNode) -> set[str]:
    """The names a value is built from; not a subscript's key (`records[best][0]` holds an element
    of `records`, not `best`, which a `max(records, key=lambda ...)` chose)."""
    keys = {id(n) for sub in iter_nodes(node) if isinstance(sub, cst.Subscript)
            for element in sub.slice for n in iter_nodes(element)}
    return {n.value for n in iter_nodes(node) if isinstance(n, cst.Name) and id(n) not in keys}


def own_code_held(tree: cst.Module, model: TrainedModel, search_settings: bool = False) -> str | None:
    """`a lambda`, `function log1p_abs`, `class Clip` when the model is built holding code of the
    script (`FunctionTransformer(log1p_abs)`, `make_pipeline(Clip(), ...)`), else None.
    `search_settings`: the logged model is a search's best_estimator_ (see _composition)."""
    functions = {f.name.value for f in nodes_of(tree, cst.FunctionDef)}
    classes = {c.name.value for c in nodes_of(tree, cst.ClassDef)}
    for node in _composition(tree, model, search_settings):
        for inner in iter_nodes(node):
            if isinstance(inner, cst.Lambda):
                return "a lambda"
            if isinstance(inner, cst.Call):
                if dotted(inner.func) in classes:
                    return f"class `{dotted(inner.func)}`"
                for arg in inner.args:
                    values = arg.value.elements if isinstance(arg.value, (cst.List, cst.Tuple)) else [arg]
                    for value in values:
                        if isinstance(value.value, cst.Name) and value.value.value in functions:
                            return f"function `{value.value.value}`"
    return None
