"""Read-only analysis for hyperparameter search: tunable defaults, their search spaces, and the metric to optimise."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import (
    NOT_LITERAL,
    block_body,
    body_start,
    call_name,
    calls_in,
    code,
    iter_nodes,
    last_name,
    literal_value,
    names_in,
    nodes_of,
    string_value,
)
from mlops_adapt.analysis.hpo_uses import (
    DATA_MAKER,
    data_definitions,
    floor_divided,
    never_run,
    parents,
    read_as,
    script_defaults,
    uses_of,
)
from mlops_adapt.analysis.hyperparams import ArgparseOption, argparse_options  # noqa: F401 (re-exported)
from mlops_adapt.analysis.hyperparams import literal_class_attrs
from mlops_adapt.analysis.metric_sites import metric_key, print_values
from mlops_adapt.analysis.scan import Ctx, MetricSite, ParamSite, Scan
from mlops_adapt.vocabulary import VALIDATION, direction_of

# Settings that are not hyperparameters to search: seeds, data sizes and shapes, logging, splits.
NOT_TUNABLE = re.compile(
    r"(seed|random_state|verbose|verbosity|n_jobs|jobs|workers|threads|nthread|every|interval|print|log_|save|checkpoint|"
    r"test_size|val_size|valid_size|train_size|split|holdout|noise|upscale|scale_factor|(^|_)(cv|n_?folds|k_?folds?)$|(^|_)(n|num)_samples$|n_features|"
    r"num_features|in_features|out_features|input|output|in_dim|out_dim|n_classes|num_classes|classes|"
    r"image|img|shuffle|device|cuda|gpu|debug|dry_run|resume|patience_steps|"
    # What a score is measured by (a search's scoring, a booster's eval_metric), not how the model is fit.
    r"scoring|eval_metric|"
    # A business scorer's payoff per confusion-matrix cell (tp, fn, ...): it defines the score itself.
    r"^(tp|fp|tn|fn)$|(true|false)_(positive|negative)s?$|"
    # How unseen categories are treated at prediction time (an encoder's handle_unknown), not how the model fits.
    r"handle_unknown|"
    # Whether a monitored value should fall or rise (ReduceLROnPlateau's mode): it follows the metric.
    r"^mode$|"
    # What is forecast (how many steps ahead) and how CV folds are spaced: they define the task and
    # the score, not the model.
    r"horizon|lookahead|(^|_)gap$|max_train_size|"
    # Shape-coupled settings: changing them breaks layer sizes computed from them (a flatten size).
    r"kernel_size|stride|padding|dilation|pool|seq_len|sequence_length|max_len|window)",
    re.IGNORECASE,
)
LEARNING_RATE_LIKE = re.compile(r"(^|_)(lr|learning_rate|eta|alpha|c|decay|weight_decay|l2|reg|lambda|tol|eps)($|_)",
                                re.IGNORECASE)
STEP_SIZE_LIKE = re.compile(r"(^|_)(lr|learning_rate|eta|step_size)($|_)", re.IGNORECASE)
RATIO_LIKE = re.compile(r"(dropout|drop|momentum|subsample|colsample|ratio|frac|fraction|beta|keep|smoothing|^p$)",
                        re.IGNORECASE)
ROUND_LIKE = re.compile(r"(epoch|iter|n_estimators|estimators|rounds|steps)", re.IGNORECASE)
# Row and column sampling fractions of tree ensembles (XGBoost, LightGBM, sklearn): in (0, 1].
SAMPLING_FRACTION = re.compile(
    r"^(subsample|colsample_by\w+|bagging_fraction|feature_fraction\w*|max_samples|max_features|sample_rate)$",
    re.IGNORECASE,
)
# Settings that are either a count (an int) or a fraction (a float): `max_features=1` is one feature.
COUNT_OR_FRACTION = frozenset({"max_samples", "max_features", "max_df"})
# A vectorizer's upper document-frequency cut: a float share in [0, 1] (sklearn rejects more), kept high
# so that it stays above `min_df` (below it sklearn raises too).
DOCUMENT_SHARE = re.compile(r"^max_df$", re.IGNORECASE)
# A mixing weight between two penalties or losses (ElasticNet's, NMF's `l1_ratio`): a float in [0, 1],
# even when the script writes its end point as an int (`l1_ratio=1`).
MIXING_RATIO = re.compile(r"(^|_)l1_ratio$", re.IGNORECASE)
# The number of attention heads: the model width must be a multiple of it (`C // n_head` per head).
HEAD_COUNT = re.compile(r"^(n_?heads?|num_?heads?|nheads?|num_attention_heads|attention_heads)$", re.IGNORECASE)
# Widths split across the heads (nanoGPT's n_embd, a transformer's d_model or embed_dim).
HEAD_SPLIT_WIDTH = re.compile(r"^(n_?embd|n_?embed|d_?model|embed_?dim|emb_?dim|embedding_dim|hidden_size|"
                              r"hidden_dim|dim|width|n_?hidden|model_dim)$", re.IGNORECASE)
# The expected share of outliers (IsolationForest, LocalOutlierFactor, EllipticEnvelope): sklearn takes (0, 0.5].
OUTLIER_SHARE = re.compile(r"^(contamination|outliers?_fraction)$", re.IGNORECASE)
# A learning-rate scheduler's decay factor (StepLR's gamma): above 1 the rate grows each step.
DECAY_FACTOR = re.compile(r"(^|_)(gamma|lr_decay|decay_rate|decay_factor|lr_factor|factor)$", re.IGNORECASE)
# A step-size decay written out by a hand-made trainer (`learning_rate *= learning_rate_decay` each epoch).
LEARNING_RATE_DECAY = re.compile(r"(^|_)(lr|learning_rate|step_size)_decay$", re.IGNORECASE)
SCHEDULERS = frozenset({"StepLR", "MultiStepLR", "ExponentialLR", "ReduceLROnPlateau", "lr_scheduler"})
# Batch sizes and similar settings of evaluation only: they change no trained model.
EVALUATION_SETTING = re.compile(r"(^|_)(test|eval|val|valid|validation|inference|infer|predict)_?(batch|bs)",
                                re.IGNORECASE)

# Known value sets of string settings (sklearn constructor keywords and common script options).
SKLEARN_CHOICES: dict[str, tuple[tuple[str, ...], ...]] = {
    "criterion": (("gini", "entropy", "log_loss"), ("squared_error", "absolute_error", "friedman_mse")),
    "kernel": (("linear", "poly", "rbf", "sigmoid"),),
    "gamma": (("scale", "auto"),),
    "weights": (("uniform", "distance"),),
    "splitter": (("best", "random"),),
    "max_features": (("sqrt", "log2"),),
    "algorithm": (("auto", "ball_tree", "kd_tree", "brute"),),
    "activation": (("identity", "logistic", "tanh", "relu"),),
    "learning_rate": (("constant", "invscaling", "adaptive"),),
    "init": (("k-means++", "random"),),
    "linkage": (("ward", "complete", "average", "single"),),
}
SOLVERS = {
    "mlp": ("lbfgs", "sgd", "adam"),
    "logistic": ("lbfgs", "newton-cg", "saga"),
    "ridge": ("auto", "svd", "cholesky", "lsqr"),
}
# What an MLP fitted by sgd or adam has and one fitted by lbfgs lacks.
STOCHASTIC_MLP_ATTRIBUTES = frozenset({"loss_curve_", "best_loss_", "validation_scores_", "best_validation_score_"})
SCRIPT_CHOICES: dict[str, tuple[str, ...]] = {
    "optimizer": ("adam", "adamw", "sgd", "rmsprop", "adagrad", "Adam", "AdamW", "SGD", "RMSprop", "Adagrad"),
    "activation": ("relu", "tanh", "gelu", "sigmoid", "elu", "leaky_relu", "silu", "ReLU", "Tanh", "GELU",
                   "Sigmoid", "ELU", "LeakyReLU", "SiLU"),
    "scheduler": ("step", "cosine", "exponential", "plateau", "none"),
}



@dataclass
class Tunable:
    """One hyperparameter to search, where its default comes from and how the trial suggests it."""

    name: str  # the Optuna parameter name
    key: str  # the name in the script (variable, dict key, attribute, keyword)
    default: object
    suggest: str  # e.g. 'suggest_float("lr", 0.001, 0.1, log=True)' (without the receiver)
    site: ParamSite
    kind: str  # constant | local | argparse | config-dict | dataclass | ctor-kwarg
    node: cst.CSTNode | None = None  # the literal to replace (ctor-kwarg) or the assignment statement


@dataclass
class Objective:
    """The metric the study optimises."""

    site: MetricSite
    expr: str
    key: str
    direction: str  # "maximize" | "minimize"


_NOT_LITERAL = NOT_LITERAL  # the name this module and its callers use


def _nice(x: float) -> float:
    return float(f"{x:.6g}")


def search_space(name: str, value: object, *, key: str | None = None, owner: str | None = None,
                 choices: tuple | None = None, script_strings: set[str] = frozenset(),
                 imports: set[str] = frozenset(), multiple_of: int = 1) -> str | None:
    """Optuna suggest call (after `trial.`) for one setting, derived from its default; None if not tunable.

    `multiple_of`: the script divides the setting by this (`hidden_dim // 2` per LSTM direction), so
    only its multiples keep the model's shapes consistent."""
    bare = key or name
    if NOT_TUNABLE.search(bare) or EVALUATION_SETTING.search(bare):
        return None
    if value is _NOT_LITERAL or value is None or isinstance(value, bool):
        return None
    fraction = isinstance(value, float) or bare.lower() not in COUNT_OR_FRACTION
    if isinstance(value, (int, float)) and SAMPLING_FRACTION.search(bare) and 0 < value <= 1 and fraction:
        return f'suggest_float("{name}", {_nice(max(0.3, value / 2))!r}, 1.0)'
    if isinstance(value, float) and DOCUMENT_SHARE.search(bare) and 0 < value <= 1:
        return f'suggest_float("{name}", {_nice(max(0.5, value / 2))!r}, 1.0)'
    if isinstance(value, (int, float)) and MIXING_RATIO.search(bare) and value == 1:
        return f'suggest_float("{name}", 0.5, 1.0)'  # searched down from the script's pure-L1 end point
    if isinstance(value, float) and OUTLIER_SHARE.search(bare) and 0 < value <= 0.5:
        return f'suggest_float("{name}", {_nice(max(0.005, value / 4))!r}, {_nice(min(0.5, value * 3))!r})'
    if isinstance(value, float) and 0 < value < 1 and (
        DECAY_FACTOR.search(bare) and script_strings & SCHEDULERS or LEARNING_RATE_DECAY.search(bare)
    ):
        return f'suggest_float("{name}", {_nice(max(0.05, value / 2))!r}, 0.99)'
    if choices:
        options = [c for c in choices if isinstance(c, (str, int, float))]
        if value in options and len(options) >= 2:
            return f"suggest_categorical({name!r}, {options!r})".replace("'", '"')
        return None
    if isinstance(value, int):
        if value <= 0:
            return None
        low = max(2 if bare.lower() in ("num_leaves", "max_leaf_nodes") else 1, value // 2)
        high = max(value * 2, value + 2)
        if ROUND_LIKE.search(bare):
            high = max(value + value // 2, value + 1)  # longer training costs time; search around the default
        if multiple_of > 1 and value % multiple_of == 0:
            low = max(multiple_of, low // multiple_of * multiple_of)
            high = -(-high // multiple_of) * multiple_of
            return f'suggest_int("{name}", {low}, {high}, step={multiple_of})'  # Optuna has no log with a step
        log = ", log=True" if value >= 16 else ""
        return f'suggest_int("{name}", {low}, {high}{log})'
    if isinstance(value, float):
        if value < 0:
            return None
        if value == 0.0:
            return f'suggest_float("{name}", 0.0, 0.1)'
        if value < 1:
            low, high = value / 10, value * 10
            if STEP_SIZE_LIKE.search(bare):
                high = min(high, value * 3)  # far larger steps make gradient descent diverge (nan)
            if RATIO_LIKE.search(bare) and not LEARNING_RATE_LIKE.search(bare):
                high = min(high, max(value, 0.9))
            return f'suggest_float("{name}", {_nice(low)!r}, {_nice(high)!r}, log=True)'
        high = value * 3 if STEP_SIZE_LIKE.search(bare) else value * 10  # far larger steps diverge
        return f'suggest_float("{name}", {_nice(value / 10)!r}, {_nice(high)!r}, log=True)'
    if isinstance(value, str):
        options = _string_choices(bare.lower(), value, owner, script_strings, imports)
        if options:
            return "suggest_categorical(" + f'"{name}", [' + ", ".join(f'"{o}"' for o in options) + "])"
    return None


# Choices that depend on the estimator, not only on the keyword: `strategy` means one thing to an imputer
# (the pools keep categorical columns' imputers on strategies that work for strings) and another to a dummy model.
OWNER_CHOICES: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    ("SimpleImputer", "strategy"): (("most_frequent", "constant"), ("mean", "median", "most_frequent")),
    # Linear models fitted by SGD: the loss is the model (an SVM, a logistic regression, a smoothed hinge).
    ("SGDClassifier", "loss"): (("hinge", "log_loss", "modified_huber"),),
    ("SGDRegressor", "loss"): (("squared_error", "huber", "epsilon_insensitive"),),
}


def _string_choices(key: str, value: str, owner: str | None, script_strings: set[str],
                    imports: set[str]) -> list[str] | None:
    sklearn_only = "sklearn" in imports and "torch" not in imports
    for pool in OWNER_CHOICES.get(((owner or "").split(".")[-1], key), ()):
        if value in pool:
            return list(pool)
    if key == "solver":
        owner_text = (owner or "") + " " + " ".join(sorted(script_strings & {"MLPClassifier", "MLPRegressor"}))
        family = "mlp" if "MLP" in owner_text else "ridge" if "Ridge" in (owner or "") else "logistic"
        pool: tuple[str, ...] = SOLVERS[family]
        if family == "mlp" and script_strings & STOCHASTIC_MLP_ATTRIBUTES:
            pool = tuple(p for p in pool if p != "lbfgs")  # lbfgs leaves no loss curve for the script to read
        return list(pool) if value in pool and (owner or sklearn_only) else None
    for pool in SKLEARN_CHOICES.get(key, ()):
        if value in pool:
            if owner or sklearn_only:
                return list(pool)
            found = [o for o in pool if o == value or o in script_strings]
            return found if len(found) >= 2 else None
    pool = SCRIPT_CHOICES.get(key, ())
    if not pool:
        for known, values in SCRIPT_CHOICES.items():
            if key.endswith(known):
                pool = values
    if value in pool:
        # Custom code only understands the names it mentions: choose among those.
        found = [o for o in pool if o == value or o in script_strings]
        return found if len(found) >= 2 else None
    return None


def dict_literal_values(value: cst.BaseExpression) -> dict[str, object]:
    """Key -> literal value of a dict display or dict(k=v) call."""
    if isinstance(value, cst.Dict):
        return {
            string_value(e.key) or "": literal_value(e.value)
            for e in value.elements
            if isinstance(e, cst.DictElement) and string_value(e.key)
        }
    if isinstance(value, cst.Call) and call_name(value) == "dict":
        return {a.keyword.value: literal_value(a.value) for a in value.args if a.keyword is not None}
    return {}


def assignment_value(stmt: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The value assigned to `name` by a simple statement line, if it assigns it."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return None
    for small in stmt.body:
        if isinstance(small, cst.Assign):
            for t in small.targets:
                if isinstance(t.target, (cst.Name, cst.Attribute)) and code(t.target) == name:
                    return small.value
        if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value == name:
            return small.value
    return None


def choose_objective(scan: Scan, allowed: list[MetricSite] | None = None) -> Objective | None:
    """The metric to optimise: a validation/test metric with a known direction, the last one computed."""
    sites = allowed if allowed is not None else scan.metrics
    steps = _in_training_steps(scan.module)
    best: tuple[tuple, Objective] | None = None
    for order, site in enumerate(sites):
        if _array_valued(site) or _text_valued(site):
            continue
        keys = site.keys if site.kind == "dict" and site.keys else [None]
        for key in keys:
            name = key or site.key
            expr = f'{site.expr}["{key}"]' if key else site.expr
            direction = direction_of(name)
            if site.kind == "cv":
                if not name.endswith("_mean"):
                    continue
                direction = direction or "maximize"
            score = (
                direction is not None,
                not _SPREAD.search(name),  # `rmse_std`: how much the folds disagree, not how good the model is
                bool(VALIDATION.search(name) or _HELD_OUT.search(name) or _cross_validated(site))
                and "train" not in name.lower(),
                "train" not in name.lower(),
                not _training_step_value(site, steps),
                site.kind != "printed",
                bool(direction == "maximize"),
                order,
            )
            candidate = Objective(site, expr, name, direction or "maximize")
            if best is None or score > best[0]:
                best = (score, candidate)
    return best[1] if best else None


def _in_training_steps(module: cst.Module) -> set[int]:
    """Ids of the statements inside a loop over a loader's batches (each pass sees one batch), and of the
    statements assigning what a loop calls `.backward()` on (the training loss of one step)."""
    found: set[int] = set()
    for loop in iter_nodes(module, skip=(cst.BaseExpression,)):
        if not isinstance(loop, (cst.For, cst.While)):
            continue
        if isinstance(loop, cst.For) and _BATCHES.search(code(loop.iter)):
            found |= {id(n) for n in iter_nodes(loop.body, skip=(cst.BaseExpression,))}
            continue
        stepped = {
            code(c.func.value) for c in calls_in(loop.body)
            if last_name(c) == "backward" and isinstance(c.func, cst.Attribute)
        }
        for stmt in iter_nodes(loop.body, skip=(cst.BaseExpression,)):
            if isinstance(stmt, cst.SimpleStatementLine) and any(
                isinstance(small, cst.Assign) and any(code(t.target) in stepped for t in small.targets)
                for small in stmt.body
            ):
                found.add(id(stmt))
    return found


def _training_step_value(site: MetricSite, steps: set[int]) -> bool:
    """`loss = criterion(net(x), y)` inside the loop that calls `loss.backward()`, or `psnr = ...` inside
    `for batch in test_loader:`: one batch's value, where the script's total or average says more."""
    return site.kind != "cv" and (id(site.anchor) in steps or any(
        loop.kind == "batch" or (isinstance(loop.node, cst.For) and _BATCHES.search(code(loop.node.iter)))
        for loop in site.ctx.loops
    ))


_BATCHES = re.compile(r"(loader|batches)\b", re.IGNORECASE)


_HELD_OUT = re.compile(r"held_?out|out_of_sample|unseen", re.IGNORECASE)
_SPREAD = re.compile(r"(^|_)(std|stdev|var|variance|sem)($|_)", re.IGNORECASE)
_CV_CALLS = frozenset({"cross_validate", "cross_val_score", "cross_val_predict"})


def _cross_validated(site: MetricSite) -> bool:
    """`rmse = -cross_validate(...)["test_rmse"]; print(f"RMSE {rmse.mean()}")` in one function: the
    printed result is a cross-validation score, which a study may select on (a final holdout may not)."""
    func = site.ctx.function if site.ctx is not None else None
    if func is None or not site.expr:
        return False
    try:
        read = names_in(cst.parse_expression(site.expr))
    except cst.ParserSyntaxError:
        return False
    results = _cv_results(func)
    # the results themselves, and names computed from them (`rmse = -folds["test_rmse"]`)
    made = results | {
        t.target.value
        for stmt in nodes_of(func.body, cst.Assign)
        if names_in(stmt.value) & results
        for t in stmt.targets
        if isinstance(t.target, cst.Name)
    }
    return bool(read & made)


def _cv_results(func: cst.FunctionDef) -> set[str]:
    """Names bound to a cross-validation call's result in the function."""
    return {
        t.target.value
        for stmt in nodes_of(func.body, cst.Assign)
        if any(last_name(c) in _CV_CALLS for c in calls_in(stmt.value))
        for t in stmt.targets
        if isinstance(t.target, cst.Name)
    }


def _text_valued(site: MetricSite) -> bool:
    """`correct = "ok" if guess == category else "wrong"`: a label printed beside a result, not a number."""
    anchor = site.anchor
    if site.kind != "variable" or not isinstance(anchor, cst.SimpleStatementLine) or len(anchor.body) != 1:
        return False
    small = anchor.body[0]
    value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
    branches = [value.body, value.orelse] if isinstance(value, cst.IfExp) else [value]
    return value is not None and all(
        isinstance(b, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))
        or (isinstance(b, cst.BinaryOperation) and isinstance(b.left, (cst.SimpleString, cst.FormattedString)))
        for b in branches
    )


def _array_valued(site: MetricSite) -> bool:
    """`test_scores_mean = np.mean(test_scores, axis=1)`, `np.zeros(n)`: an array, which no trial can return."""
    anchor = site.anchor
    if site.kind != "variable" or not isinstance(anchor, cst.SimpleStatementLine) or len(anchor.body) != 1:
        return False
    small = anchor.body[0]
    value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [getattr(small, "target", None)]
    if not any(isinstance(t, cst.Name) and t.value == site.expr for t in targets):
        return False
    if _reduced_later(site):
        return True
    if not isinstance(value, cst.Call):
        return False
    if last_name(value) in _ARRAY_BUFFERS:
        return True
    return any(
        a.keyword is not None and a.keyword.value == "axis" and not (isinstance(a.value, cst.Name) and a.value.value == "None")
        for a in value.args
    )


_REDUCTIONS = frozenset({"mean", "std", "var", "min", "max", "sum", "median"})


def _reduced_later(site: MetricSite) -> bool:
    """`rmse = -cv_results["test_rmse"]` then `rmse.mean()`: the script reduces the name, so it holds
    one value per fold or sample, and the trial must report the reduced value instead."""
    scope = site.ctx.function if site.ctx is not None and site.ctx.function is not None else None
    if scope is None:
        return False
    return any(
        isinstance(node.func, cst.Attribute) and node.func.attr.value in _REDUCTIONS
        and isinstance(node.func.value, cst.Name) and node.func.value.value == site.expr
        for node in nodes_of(scope.body, cst.Call)
    )


@dataclass
class HpoPlan:
    """Everything the HPO recipe needs, found without changing the code."""

    tunables: list[Tunable] = field(default_factory=list)
    objective: Objective | None = None
    skipped: list[str] = field(default_factory=list)  # hyperparameters found but not searched


def collect_tunables(module: cst.Module, scan: Scan) -> HpoPlan:
    """Tunable hyperparameters of every detected parameter site, with their search spaces."""
    plan = HpoPlan()
    strings = scan.strings
    imports = set(scan.imported_modules)
    args: dict[str, ArgparseOption] = scan.argparse_options
    dataclasses_found = scan.dataclass_defaults
    used_names: set[str] = set()
    divided = floor_divided(module)
    # Only scripts that wrap estimators in a grid search need the parent of each call.
    wrapping = parents(module) if any(_GRID_SEARCHES.match(s) for s in strings) else {}

    def add(name: str, key: str, value: object, site: ParamSite, kind: str, *, owner=None, choices=None, node=None):
        param = name
        same = next((t for t in plan.tunables if kind == "ctor-kwarg" == t.kind and t.key == key
                     and t.site.owner == site.owner and t.default == value), None)
        if same is not None:
            # `SVC(C=1.0)` in a validation curve and again in the refit: one setting, one suggestion.
            plan.tunables.append(Tunable(same.name, key, value, same.suggest, site, kind, node))
            return
        if param in used_names:
            param = f"{owner or site.owner or kind}_{name}"
            if param in used_names:
                return
        suggest = search_space(param, value, key=key, owner=owner, choices=choices, script_strings=strings,
                               imports=imports, multiple_of=divided.get(key.lower(), 1))
        if suggest is None:
            plan.skipped.append(key)
            return
        used_names.add(param)
        plan.tunables.append(Tunable(param, key, value, suggest, site, kind, node))

    sites = list(scan.params) + _dataclass_parameter_sites(module, scan, dataclasses_found)
    sites += _config_class_parameter_sites(module, scan) + namespace_sites(scan)
    scanned_args = {
        id(arg)
        for site in scan.params
        if site.kind == "ctor-kwarg"
        for call in [_ctor_call(site)]
        if call is not None
        for arg in call.args
    }
    sites += own_call_sites(module, scan, scanned_args) + function_default_sites(module, scan)
    sites += config_dict_sites(module, scan) + parser_helper_sites(module, scan)
    for site in sites:
        if site.kind in ("constant", "local"):
            passed = (
                passed_parameters(scan, site.ctx.function, site.ctx.cls)
                if site.kind == "local" and site.ctx is not None and site.ctx.function is not None else set()
            )
            for key, _ in site.entries:
                if key in passed and _is_parameter(site.ctx.function, key):
                    plan.skipped.append(key)  # the call passes its own value (searched there, if literal)
                    continue
                value = _find_assignment(site, key)
                add(key, key, literal_value(value), site, site.kind)
        elif site.kind == "argparse":
            for key in site.keys:
                option = args.get(key)
                if option is not None:
                    add(key, key, option.default, site, "argparse", choices=option.choices)
        elif site.kind == "config-dict":
            value = assignment_value(site.anchor, site.owner or "")
            for key, default in dict_literal_values(value).items() if value is not None else []:
                add(key, key, default, site, "config-dict")
        elif site.kind == "config-class":
            defaults = (
                {k: literal_value(cst.parse_expression(v)) for k, v in site.entries} if site.entries
                else _class_attr_values(module, site.owner or "")
            )
            for key in site.keys:
                add(key, key, defaults.get(key, _NOT_LITERAL), site, "config-class")
        elif site.kind == "dataclass":
            defaults, _frozen = dataclasses_found.get(site.owner or "", ({}, False))
            call = _dataclass_call(site)
            given = {a.keyword.value: literal_value(a.value) for a in call.args if a.keyword} if call else {}
            for key in site.keys:
                add(key, key, given.get(key, defaults.get(key, _NOT_LITERAL)), site, "dataclass")
        elif site.kind == "ctor-kwarg":
            call = _ctor_call(site)
            if call is None:
                continue
            for arg in call.args:
                if arg.keyword is None or not any(arg.keyword.value == k for k, _ in site.entries):
                    continue
                value = literal_value(arg.value)
                if value is _NOT_LITERAL:
                    continue  # fed by a variable that is tuned at its own definition
                if (_evaluation_only(arg.keyword.value, site.anchor) or _evaluation_loader(arg.keyword.value, call)
                        or _unused_by_estimator(arg.keyword.value, call)
                        or _set_by_wrapping_search(arg.keyword.value, call, wrapping)):
                    plan.skipped.append(arg.keyword.value)
                    continue
                add(arg.keyword.value, arg.keyword.value, value, site, "ctor-kwarg", owner=site.owner, node=arg)
    _drop_unused_and_data_defining(module, scan, plan)
    _keep_widths_divisible_by_heads(plan, strings, imports, divided)
    return plan


def _keep_widths_divisible_by_heads(plan: HpoPlan, strings: set[str], imports: set[str],
                                    divided: dict[str, int]) -> None:
    """A width split across attention heads (`C // n_head`) must stay a multiple of the head count:
    the head count keeps its default and the width is searched in steps of it (both searched freely,
    most trials build a model whose reshape fails)."""
    heads = [t for t in plan.tunables if HEAD_COUNT.search(t.key) and isinstance(t.default, int)
             and not isinstance(t.default, bool) and t.default > 1]
    if not heads:
        return
    count = max(t.default for t in heads)
    widths = [t for t in plan.tunables if HEAD_SPLIT_WIDTH.search(t.key) and isinstance(t.default, int)
              and not isinstance(t.default, bool) and t.default % count == 0]
    if not widths:
        return
    for t in heads:
        plan.tunables.remove(t)
        plan.skipped.append(t.key)
    for t in widths:
        step = math.lcm(count, divided.get(t.key.lower(), 1))
        t.suggest = search_space(t.name, t.default, key=t.key, script_strings=strings, imports=imports,
                                 multiple_of=step) or t.suggest


def _drop_unused_and_data_defining(module: cst.Module, scan: Scan, plan: HpoPlan) -> None:
    """Hyperparameters that change no model under the script's own settings are not searched: those
    read only in a branch the defaults never take (`--nhead` while `--model` is LSTM), and those
    that define the data or the target function rather than the model (`make_blobs(centers=K)`)."""
    if not plan.tunables:
        return
    data = data_definitions(module)
    tuned_reads = {read_as(t.key, t.kind) for t in plan.tunables}
    argparse_defaults = {dest: option.default for dest, option in scan.argparse_options.items()}
    known = {k: v for k, v in script_defaults(module, argparse_defaults).items() if k not in tuned_reads}
    parent = parents(module)
    kept: list[Tunable] = []
    for t in plan.tunables:
        if read_as(t.key, t.kind) in data and t.kind != "ctor-kwarg":
            plan.skipped.append(t.key)
            continue
        uses = [t.node] if t.kind == "ctor-kwarg" and t.node is not None else uses_of(module, t.key, t.kind)
        if uses and all(never_run(u, parent, known) for u in uses):
            plan.skipped.append(t.key)
            continue
        kept.append(t)
    plan.tunables = kept


# Searches that refit the estimator they are given over a grid of its keywords.
_GRID_SEARCHES = re.compile(r"^(GridSearchCV|RandomizedSearchCV|HalvingGridSearchCV|HalvingRandomSearchCV)$")
# Keywords whose meaning depends on the kernel: a grid over them was chosen for the script's kernel.
_KERNEL_PARAMETERS = frozenset({"gamma", "degree", "coef0"})


def _set_by_wrapping_search(key: str, call: cst.Call, parent: dict[int, cst.CSTNode]) -> bool:
    """`GridSearchCV(SVR(kernel="rbf", gamma=0.1), param_grid={"C": ..., "gamma": ...})`: the grid sets
    `gamma` on every fit, so a suggested one changes nothing; and the grid's kernel parameters are chosen
    for the script's kernel, so another kernel (a cubic one with gamma 100 fits for hours) is not searched."""
    search = parent.get(id(call))
    search = parent.get(id(search)) if isinstance(search, cst.Arg) else None
    if not (isinstance(search, cst.Call) and _GRID_SEARCHES.match(last_name(search) or "")):
        return False
    grids = [a.value for a in search.args
             if a.keyword is not None and a.keyword.value in ("param_grid", "param_distributions")]
    grids += [a.value for a in search.args[1:2] if a.keyword is None]
    keys = {k.rsplit("__", 1)[-1] for g in grids for n in iter_nodes(g) if isinstance(n, cst.Dict)
            for e in n.elements if isinstance(e, cst.DictElement) for k in [string_value(e.key) or ""] if k}
    return key in keys or (key == "kernel" and bool(keys & _KERNEL_PARAMETERS))


def _unused_by_estimator(key: str, call: cst.Call) -> bool:
    """LightGBM samples rows only when bagging is on: `LGBMRegressor(subsample=0.8)` without a positive
    `subsample_freq` ignores the value, so searching it would change no model."""
    if not (last_name(call) or "").startswith("LGBM") or key not in ("subsample", "bagging_fraction"):
        return False
    given = {a.keyword.value: literal_value(a.value) for a in call.args if a.keyword is not None}
    frequency = given.get("subsample_freq", given.get("bagging_freq", 0))
    return not (isinstance(frequency, int) and frequency > 0) and "**" not in code(call)


def _evaluation_only(key: str, anchor: cst.CSTNode) -> bool:
    """`test_loader = DataLoader(..., batch_size=64)`: a batch size used only to evaluate changes no result."""
    if "batch" not in key.lower() or not isinstance(anchor, cst.SimpleStatementLine):
        return False
    targets = [
        code(t.target) for small in anchor.body if isinstance(small, cst.Assign) for t in small.targets
    ]
    return bool(targets) and all(VALIDATION.search(t) and "train" not in t.lower() for t in targets)


_HELD_OUT_DATA = re.compile(r"(^|_)(te|test|val|valid|validation|eval|dev)($|_)", re.IGNORECASE)


def _evaluation_loader(key: str, call: cst.Call) -> bool:
    """`DataLoader(to_ds(X_te, y_te), batch_size=64)` (unnamed, e.g. returned): a loader over held-out
    data, whose batch size changes no trained model."""
    if "batch" not in key.lower() or not (last_name(call) or "").endswith("DataLoader") or not call.args:
        return False
    data = call.args[0].value
    # `datasets["val"]`: the key names the split too
    names = [n.value for n in iter_nodes(data) if isinstance(n, cst.Name)]
    names += [v for n in iter_nodes(data) if isinstance(n, cst.SimpleString) and (v := string_value(n))]
    return any(_HELD_OUT_DATA.search(n) for n in names) and not any("train" in n.lower() or n.endswith("_tr") for n in names)


def _find_assignment(site: ParamSite, name: str) -> cst.BaseExpression | None:
    value = assignment_value(site.anchor, name)
    if value is not None:
        return value
    func = site.ctx.function if site.ctx else None
    if func is None:
        return None
    for param in list(func.params.params) + list(func.params.kwonly_params):
        if param.name.value == name and param.default is not None:
            return param.default
    for stmt in func.body.body:
        value = assignment_value(stmt, name)
        if value is not None:
            return value
    return None


def _dataclass_call(site: ParamSite) -> cst.Call | None:
    if isinstance(site.anchor, cst.SimpleStatementLine):
        for small in site.anchor.body:
            if (
                isinstance(small, (cst.Assign, cst.AnnAssign)) and isinstance(small.value, cst.Call)
                and last_name(small.value) == site.owner
            ):
                return small.value
    return None


def _dataclass_parameter_sites(module: cst.Module, scan: Scan, found: dict) -> list[ParamSite]:
    """`def main(cfg: Config)`: a dataclass config received as a parameter is set at the function's start.

    Used for configs the scan sees no assignment of (e.g. `main(Config())`).
    """
    assigned = {site.owner for site in scan.params if site.kind == "dataclass"}
    sites: list[ParamSite] = []
    for node in nodes_of(module, cst.FunctionDef):
        if not isinstance(node.body, cst.IndentedBlock) or not node.body.body:
            continue
        for param in node.params.params:
            annotation = code(param.annotation.annotation) if param.annotation else ""
            if annotation in found and annotation not in assigned:
                first, where = body_start(list(node.body.body))
                sites.append(ParamSite(
                    first, where, "dataclass",
                    whole=f"dataclasses.asdict({param.name.value})", keys=list(found[annotation][0]),
                    owner=annotation, ctx=Ctx(function=node),
                ))
    return sites


def _config_class_parameter_sites(module: cst.Module, scan: Scan) -> list[ParamSite]:
    """`def main(cfg=Config)` with `class Config:` holding literal class attributes: the settings are read
    off the class itself, so a trial sets them on it (through the parameter) at the function's start."""
    classes = {
        c.name.value: attrs for c in module.body
        if isinstance(c, cst.ClassDef) and not c.decorators and (attrs := literal_class_attrs(c))
    }
    sites: list[ParamSite] = []
    for node in nodes_of(module, cst.FunctionDef):
        if not isinstance(node.body, cst.IndentedBlock) or not node.body.body:
            continue
        for param in list(node.params.params) + list(node.params.kwonly_params):
            default = code(param.default) if param.default is not None else ""
            if default in classes:
                first, where = body_start(list(node.body.body))
                sites.append(ParamSite(
                    first, where, "config-class", whole=param.name.value, keys=list(classes[default]),
                    owner=default, ctx=Ctx(function=node),
                ))
    return sites


_NAMESPACES = frozenset({"SimpleNamespace", "Namespace"})


def namespace_sites(scan: Scan) -> list[ParamSite]:
    """`cfg = SimpleNamespace(lr=5e-3, epochs=6)`: a settings object read as `cfg.lr`; a trial sets
    its attributes right after it is made."""
    sites: list[ParamSite] = []
    for body, func in scan.blocks:
        for stmt in body:
            if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name) and isinstance(small.value, cst.Call)
                    and last_name(small.value) in _NAMESPACES):
                continue
            entries = [(a.keyword.value, code(a.value)) for a in small.value.args if a.keyword is not None]
            if entries and all(a.keyword is not None for a in small.value.args):
                name = small.targets[0].target.value
                sites.append(ParamSite(stmt, "after", "config-class", entries, whole=name,
                                       keys=[k for k, _ in entries], owner=name, line=scan.line_of(stmt),
                                       ctx=Ctx(function=func)))
    return sites


def _class_attr_values(module: cst.Module, name: str) -> dict[str, object]:
    """Attribute -> literal value of a module-level settings class (`class Config: lr = 3e-3`)."""
    found: dict[str, object] = {}
    for cls in module.body:
        if not (isinstance(cls, cst.ClassDef) and cls.name.value == name):
            continue
        for stmt in block_body(cls.body):
            for small in getattr(stmt, "body", []):
                if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                    found[small.targets[0].target.value] = literal_value(small.value)
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
                    found[small.target.value] = literal_value(small.value)
    return found


def _ctor_call(site: ParamSite) -> cst.Call | None:
    """The constructor call of a ctor-kwarg site, inside its anchor statement."""
    keys = {k for k, _ in site.entries}
    found = [
        node for node in calls_in(site.anchor, lambdas=True)
        if last_name(node) == site.owner and {a.keyword.value for a in node.args if a.keyword} >= keys
    ]
    # Two calls of one constructor in a statement (`SimpleImputer(strategy="median")` and
    # `SimpleImputer(strategy="most_frequent")`): the one whose values are the site's.
    given = dict(site.entries)
    same = [n for n in found if all(code(a.value) == given[a.keyword.value] for a in n.args if a.keyword and a.keyword.value in given)]
    return (same or found or [None])[0]


# -------------------------------------------------------------------- beyond the shared scan
# The shared scan finds the common shapes; hyperparameter search also needs a few it leaves out:
# results gathered in a dict display, iterative numpy algorithms, and literal keyword arguments
# given to the script's own training functions and classes.

_LINALG_FITS = frozenset({"solve", "lstsq", "pinv", "inv", "cho_solve", "svd", "eigh"})
_HP_KEYWORD = re.compile(
    r"(lr|learning_rate|rate|alpha|beta|gamma|lambda|lam|reg|l1|l2|penalty|decay|momentum|dropout|"
    r"epoch|iter|steps|rounds|n_estimators|estimators|depth|hidden|units|width|layers|neurons|"
    r"leaves|leaf|neighbors|clusters|components|latent|embed|temperature|tol|eps|margin|splines|knots|"
    r"degree|^c$|^k$)",
    re.IGNORECASE,
)


def fits_numerically(module: cst.Module) -> bool:
    """True for numpy-style training: a closed-form solve, or a loop that updates its state in place
    (`w -= lr * grad`) or recomputes a variable from itself (`centers = f(X, centers)`).
    Accumulating (`correct += ...`) is not training: evaluation loops do it too."""
    for call in calls_in(module, lambdas=True):
        if last_name(call) in _LINALG_FITS and "linalg" in (call_name(call) or ""):
            return True
    for loop in nodes_of(module, (cst.For, cst.While)):
        if any(
            isinstance(node.operator, cst.SubtractAssign) and not isinstance(node.value, (cst.Integer, cst.Float))
            for node in nodes_of(loop.body, cst.AugAssign)
        ):
            return True
        if _iterative_update(loop):
            return True
    return False


def _iterative_update(loop: cst.CSTNode) -> bool:
    """A loop over iterations (`range(...)` or `while`) that recomputes an array from its previous value,
    directly or through the statements before it: `labels = f(centers)` then `centers = g(labels)`."""
    if isinstance(loop, cst.For) and not (isinstance(loop.iter, cst.Call) and call_name(loop.iter) == "range"):
        return False
    body = list(loop.body.body) if isinstance(loop.body, cst.IndentedBlock) else []
    seen: set[str] = set()
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                    name = small.targets[0].target.value
                    numeric = any((call_name(c) or "").split(".")[0] in ("np", "numpy", "torch") for c in calls_in(small.value, lambdas=True)) \
                        or any(isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.MatrixMultiply)
                               for n in iter_nodes(small.value))
                    if numeric and (name in names_in(small.value) or name in seen):
                        return True
        seen |= names_in(stmt)
    return False


def extra_metric_sites(module: cst.Module, scan: Scan) -> list[MetricSite]:
    """Results the shared scan does not list: a dict display of named results (`results = {"val_acc": ...}`)
    and scalars whose name tells the direction (`inertia = ...`, `test_error = ...`)."""
    known = {id(m.anchor) for m in scan.metrics}
    found: list[MetricSite] = []
    for body, func in scan.blocks:
        for stmt in body:
            if id(stmt) in known or not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
                target, value = small.target.value, small.value
            elif isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                target, value = small.targets[0].target.value, small.value
            else:
                continue
            ctx = Ctx(function=func)
            line = scan.line_of(stmt)
            if isinstance(value, cst.Dict):
                keys = [
                    string_value(e.key) or "" for e in value.elements
                    if isinstance(e, cst.DictElement) and string_value(e.key)
                ]
                keys = [k for k in keys if direction_of(k) and not k.lower().startswith("train")] or [
                    k for k in keys if direction_of(k)
                ]
                if keys and not _literal_values(value):
                    found.append(MetricSite(stmt, "after", target, target, "dict", None, line, ctx, keys))
                continue
            callee = last_name(value) if isinstance(value, cst.Call) else None
            if callee and callee[:1].isupper():
                continue  # a constructor builds an object, not a result
            if callee in _ARRAY_BUFFERS:
                continue  # `test_score = np.zeros(n)`: a buffer filled per stage later, not one result
            if callee in _SCORER_FACTORIES:
                continue  # `scorer = make_scorer(gain)`: a scoring function, not a result
            if isinstance(value, (cst.List, cst.ListComp, cst.Dict, cst.DictComp, cst.Tuple, cst.Lambda)):
                continue
            if is_literal_node(value) or (target.endswith("s") and not target.endswith(("loss", "ss"))):
                continue
            if direction_of(target) and not target.isupper():
                found.append(MetricSite(stmt, "after", target, target, "variable", None, line, ctx))
    return found


def printed_metric_calls(module: cst.Module, scan: Scan) -> list[MetricSite]:
    """`print(f"final_rmse={rmse(gbm):.4f}")` where the script's own `def rmse(model): return
    mean_squared_error(y_test, model.predict(X_test)) ** 0.5` is a metric function with no loop and no
    statement but its return: the study reads the same call again just before the print (same value)."""
    own = {f.name.value: f for f in nodes_of(module, cst.FunctionDef)}
    stateless = {name for name, f in own.items() if direction_of(name) and _one_return_only(f)}
    found: list[MetricSite] = []
    for body, func in scan.blocks:
        for stmt in body:
            if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr)):
                continue
            call = stmt.body[0].value
            if not (isinstance(call, cst.Call) and call_name(call) == "print"):
                continue
            for label, expr, _ in print_values(call):
                if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value in stateless:
                    key = metric_key(label, expr)
                    key = key if direction_of(key) else expr.func.value
                    found.append(MetricSite(stmt, "before", key, code(expr), "variable", None, scan.line_of(stmt),
                                            Ctx(function=func)))
    return found


def _one_return_only(func: cst.FunctionDef) -> bool:
    """The function's body is one `return EXPR` (a docstring aside) with no lambda or comprehension in it."""
    body = [s for s in block_body(func.body)
            if not (isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], cst.Expr)
                    and isinstance(s.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))]
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or not isinstance(body[0].body[0], cst.Return):
        return False
    value = body[0].body[0].value
    return value is not None and not any(
        isinstance(n, (cst.Lambda, cst.ListComp, cst.GeneratorExp, cst.DictComp, cst.SetComp)) for n in iter_nodes(value))


_SCORER_FACTORIES = frozenset({"make_scorer", "get_scorer", "check_scoring"})
_ARRAY_BUFFERS = frozenset({"zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like"})


def is_literal_node(node: cst.BaseExpression) -> bool:
    return literal_value(node) is not _NOT_LITERAL


def _literal_values(value: cst.Dict) -> bool:
    """True when every value of the dict display is a literal (a config, not results)."""
    return all(isinstance(e, cst.DictElement) and is_literal_node(e.value) for e in value.elements)


def _callers_closure(defs: list[cst.FunctionDef], found: set[str]) -> set[str]:
    """Grow `found` with the functions that call one in it, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for f in defs:
            if f.name.value not in found and any(last_name(c) in found for c in calls_in(f.body, lambdas=True)):
                found.add(f.name.value)
                changed = True
    return found


def _does_ml_work(node: cst.CSTNode) -> bool:
    return any(last_name(c) in vocab.ML_WORK for c in calls_in(node, lambdas=True))


def _module_functions(module: cst.Module) -> list[cst.FunctionDef]:
    return [f for f in module.body if isinstance(f, cst.FunctionDef)]


def script_trainers(module: cst.Module) -> set[str]:
    """Functions, and classes with their methods, that the script defines and that train a model: a fit,
    a backward pass or numpy training (directly or through another such function)."""
    defs = _module_functions(module)
    classes = [c for c in module.body if isinstance(c, cst.ClassDef)]

    def trains(node: cst.CSTNode) -> bool:
        return _does_ml_work(node) or fits_numerically(node)

    found = {f.name.value for f in defs if trains(f.body)}
    for cls in classes:
        if trains(cls.body):
            found.add(cls.name.value)
            found.update(m.name.value for m in nodes_of(cls.body, cst.FunctionDef) if not m.name.value.startswith("__"))
    return _callers_closure(defs, found)


_DATA_ROOTS = frozenset({"pd", "pandas", "np", "numpy"})


def estimator_builders(module: cst.Module, scan: Scan) -> set[str]:
    """`def periodic_spline(period, n_splines=None): ... return SplineTransformer(...)`: module functions
    that return a library estimator or layer they construct; their keyword arguments shape the model."""
    found: set[str] = set()
    for func in _module_functions(module):
        for ret in nodes_of(func.body, cst.Return):
            value = ret.value
            name = call_name(value) if isinstance(value, cst.Call) else None
            root = (name or "").split(".")[0]
            if root in _DATA_ROOTS or DATA_MAKER.match(func.name.value):
                continue  # `return pd.DataFrame(...)`: the data, not a model
            if name and (last_name(value) or "")[:1].isupper() and root in scan.imports:
                found.add(func.name.value)
    return found


def own_call_sites(module: cst.Module, scan: Scan, taken: set[int]) -> list[ParamSite]:
    """`train(X, y, lr=0.5, epochs=100)`, `Model(reg=1e-3).fit(X, y, lr=0.1)`: literal numeric keyword
    arguments that the script passes to its own functions and classes, as ctor-kwarg sites."""
    own = script_trainers(module) | estimator_builders(module, scan)
    sites: list[ParamSite] = []
    for body, func in scan.blocks:
        for stmt in body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for call in calls_in(stmt, lambdas=True):
                short = last_name(call) or ""
                if short not in own:
                    continue
                entries = []
                for arg in call.args:
                    if arg.keyword is None or id(arg) in taken:
                        continue
                    value = literal_value(arg.value)
                    if isinstance(value, bool) or not isinstance(value, (int, float)):
                        continue
                    if _HP_KEYWORD.search(arg.keyword.value) and not NOT_TUNABLE.search(arg.keyword.value):
                        entries.append((arg.keyword.value, code(arg.value)))
                if entries:
                    sites.append(ParamSite(stmt, "before", "ctor-kwarg", entries, owner=short,
                                           line=scan.line_of(stmt), ctx=Ctx(function=func)))
    return sites


def function_default_sites(module: cst.Module, scan: Scan) -> list[ParamSite]:
    """`def evaluate_svr(C=10.0, epsilon=0.5):` called as `evaluate_svr()`: literal defaults of a module
    function that trains or cross-validates, which no call overrides, are set at the function's start
    (as the shared scan does for the functions it knows train)."""
    known = {site.owner for site in scan.params if site.kind == "local"}
    defs = _module_functions(module)
    # a function that calls one that trains trains too
    working = _callers_closure(defs, {f.name.value for f in defs if _does_ml_work(f.body)})
    sites: list[ParamSite] = []
    for func in defs:
        name = func.name.value
        if name not in working or name in known or not isinstance(func.body, cst.IndentedBlock) or not func.body.body:
            continue
        if not any(isinstance(c.func, cst.Name) for c in scan.calls_by_name.get(name, ())):
            continue  # never called by its bare name
        passed = passed_parameters(scan, func)
        entries = [
            (p.name.value, p.name.value)
            for p in list(func.params.params) + list(func.params.kwonly_params)
            if p.default is not None and literal_value(p.default) is not _NOT_LITERAL
            and p.name.value not in passed and not NOT_TUNABLE.search(p.name.value)
        ]
        if not entries:
            continue
        first, where = body_start(list(func.body.body))
        sites.append(ParamSite(first, where, "local", entries,
                               line=scan.line_of(func), ctx=Ctx(function=func), owner=name))
    return sites


def passed_parameters(scan: Scan, func: cst.FunctionDef, cls: cst.ClassDef | None = None) -> set[str]:
    """Parameters of a function that some call passes explicitly (all of them after `*args`).

    For a method of `cls`: calls `obj.method(...)`, and `Cls(...)` for `__init__`."""
    params = [p.name.value for p in func.params.params]
    if cls is not None:
        params = params[1:]  # self
    every = set(params) | {p.name.value for p in func.params.kwonly_params}
    passed: set[str] = set()
    callee = cls.name.value if cls is not None and func.name.value == "__init__" else func.name.value
    for call in scan.calls_by_name.get(callee, ()):
        if cls is None:
            matches = isinstance(call.func, cst.Name)
        elif func.name.value == "__init__":
            matches = True
        else:
            matches = isinstance(call.func, cst.Attribute)
        if not matches:
            continue
        positional = 0
        for arg in call.args:
            if arg.star:
                return every
            if arg.keyword is None:
                positional += 1
            else:
                passed.add(arg.keyword.value)
        passed.update(params[:positional])
    return passed


def _is_parameter(func: cst.FunctionDef | None, name: str) -> bool:
    return func is not None and any(
        p.name.value == name for p in list(func.params.params) + list(func.params.kwonly_params)
    )


def config_dict_sites(module: cst.Module, scan: Scan) -> list[ParamSite]:
    """Settings dicts the shared scan does not list, e.g. `self.cfg = {"learning_rate": 0.1}` later passed
    as `Model(**self.cfg)` or read as `self.cfg["learning_rate"]`: a dict display (or `dict(...)`) of
    literals, assigned once, whose keys are read or which is unpacked into a call."""
    known = {id(site.anchor) for site in scan.params}
    text = scan.source
    sites: list[ParamSite] = []
    for body, func in scan.blocks:
        for stmt in body:
            if id(stmt) in known or not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                continue
            target = small.targets[0].target
            if not (isinstance(target, cst.Name) or (isinstance(target, cst.Attribute) and code(target.value) == "self")):
                continue
            values = dict_literal_values(small.value)
            if not values or any(v is _NOT_LITERAL for v in values.values()):
                continue
            name = code(target)
            used = f"**{name}" in text.replace("** ", "**") or f'{name}["' in text or f"{name}['" in text
            settings = [k for k in values if _HP_KEYWORD.search(k) or k in SKLEARN_CHOICES or k in SCRIPT_CHOICES]
            if not used or not settings or any(k not in settings and not NOT_TUNABLE.search(k) for k in values):
                continue  # e.g. a label mapping {"cat": 0, "dog": 1}: not every key names a setting
            sites.append(ParamSite(stmt, "after", "config-dict", owner=name, keys=list(values),
                                   line=scan.line_of(stmt), ctx=Ctx(function=func)))
    return sites


def parser_helper_sites(module: cst.Module, scan: Scan) -> list[ParamSite]:
    """`args = parse()` where the script's own `def parse():` builds the parser and returns
    `ap.parse_args()`: the parsed options are set right after the call, as for `parser.parse_args()`."""
    helpers = {f.name.value for f in _module_functions(module) if _returns_parsed_args(f)}
    if not helpers or not scan.argparse_options:
        return []
    known = {id(site.anchor) for site in scan.params if site.kind == "argparse"}
    sites: list[ParamSite] = []
    for body, func in scan.blocks:
        for stmt in body:
            if id(stmt) in known or not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name) and isinstance(small.value, cst.Call)
                    and isinstance(small.value.func, cst.Name) and small.value.func.value in helpers):
                continue
            name = small.targets[0].target.value
            sites.append(ParamSite(stmt, "after", "argparse", whole=f"vars({name})", keys=list(scan.argparse_options),
                                   line=scan.line_of(stmt), ctx=Ctx(function=func)))
    # `train(get_args())`: the options are set where the function receives them.
    own = {f.name.value: f for f in _module_functions(module)}
    for call in calls_in(module):
        callee = own.get(call.func.value) if isinstance(call.func, cst.Name) else None
        if callee is None or not isinstance(callee.body, cst.IndentedBlock) or len(scan.calls_by_name.get(callee.name.value, ())) != 1:
            continue
        params = list(callee.params.params)
        for index, arg in enumerate(a for a in call.args if a.keyword is None and not a.star):
            value = arg.value
            if (isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in helpers
                    and index < len(params)):
                first, where = body_start(list(callee.body.body))
                name = params[index].name.value
                sites.append(ParamSite(first, where, "argparse", whole=f"vars({name})", keys=list(scan.argparse_options),
                                       line=scan.line_of(callee), ctx=Ctx(function=callee), owner=callee.name.value))
    return sites


def _returns_parsed_args(func: cst.FunctionDef) -> bool:
    """`return parser.parse_args()`, or `args = parser.parse_args()` ... `return args`."""
    parsed: set[str] = set()
    for node in iter_nodes(func.body):
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call) and last_name(node.value) == "parse_args":
            parsed.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
        if isinstance(node, cst.Return) and node.value is not None:
            value = node.value
            if isinstance(value, cst.Call) and last_name(value) == "parse_args":
                return True
            if isinstance(value, cst.Name) and value.value in parsed:
                return True
    return False
