"""Where a hyperparameter is used: only in a branch its script's defaults never take, or in the data's definition."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import NOT_LITERAL as _NOT_LITERAL
from mlops_adapt.analysis.exprs import code, iter_nodes, last_name, literal_value, string_value

# Names that hold the data's ground truth: `W_target`, `true_w`, `coef_true`, `y_true_fn`, `ground_truth`.
TRUTH_NAME = re.compile(
    r"(^|_)(target|targets|true|truth|ground_truth|oracle)(_|$)|^(w|b|coef|weights?|bias|theta)_?(true|star|target)$",
    re.IGNORECASE,
)
# scikit-learn's dataset generators (sklearn.datasets.make_*), not make_pipeline or make_scorer.
GENERATORS = re.compile(
    r"^make_(classification|regression|blobs|moons|circles|friedman\d|s_curve|swiss_roll|gaussian_quantiles|"
    r"hastie_10_2|multilabel_classification|sparse_\w+|low_rank_matrix|biclusters|checkerboard|spd_matrix)$"
)
# The script's own data makers (`make_corpus(n_docs, seed)`, `generate_series(n)`), not model builders.
DATA_MAKER = re.compile(r"^(make|generate|gen|synthesi[sz]e|simulate|sample|load)_(?!.*(model|net|optim|mlp|cnn|rnn|"
                        r"lstm|layer|encoder|decoder|pipeline|estimator|classifier|regressor|loader|scheduler))",
                        re.IGNORECASE)
# What a model builder's result is called: such an assignment is not data, whatever the function's name.
MODEL_NAME = re.compile(r"(model|net|clf|estimator|regressor|classifier|optimi[sz]er|pipe|encoder|decoder)",
                        re.IGNORECASE)
# Names of the data itself: what the truth is turned into (`y = X @ true_w + b`).
DATA_NAME = re.compile(r"^(x|y|xs|ys|labels?|targets?|data|features|inputs)(_(train|val|valid|test|all))?$",
                       re.IGNORECASE)
# Names that are a model's output compared against the truth, not the truth itself.
PREDICTION_NAME = re.compile(r"(pred|hat|out|logit|prob|score)", re.IGNORECASE)


def uses_of(module: cst.Module, key: str, kind: str) -> list[cst.CSTNode]:
    """The reads of a hyperparameter: `args.key`, `cfg["key"]`, or the name `key` (a constant or local)."""
    found: list[cst.CSTNode] = []
    for node in iter_nodes(module):
        if kind == "argparse" and isinstance(node, cst.Attribute) and node.attr.value == key:
            found.append(node)
        elif kind == "config-dict" and isinstance(node, cst.Subscript) and len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index) and string_value(index.value) == key:
                found.append(node)
        elif kind == "config-class" and isinstance(node, cst.Attribute) and node.attr.value == key:
            found.append(node)
        elif kind in ("constant", "local") and isinstance(node, cst.Name) and node.value == key:
            found.append(node)
    return found


class _Parents(cst.CSTVisitor):
    def __init__(self) -> None:
        self.parent: dict[int, cst.CSTNode] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        for child in node.children:
            self.parent[id(child)] = node
        return True


def parents(module: cst.Module) -> dict[int, cst.CSTNode]:
    visitor = _Parents()
    module.visit(visitor)
    return visitor.parent


def never_run(node: cst.CSTNode, parent: dict[int, cst.CSTNode], known: dict[str, object]) -> str | None:
    """The condition (as code) of an `if` (or `x if c else y`) branch holding the node that the
    script's defaults never take, e.g. `args.model == 'Transformer'` while --model defaults to LSTM."""
    child, above = node, parent.get(id(node))
    while above is not None:
        if isinstance(above, (cst.If, cst.IfExp)):
            truth = _truth(above.test, known)
            in_body = above.body is child
            in_else = getattr(above, "orelse", None) is child
            if (truth is False and in_body) or (truth is True and in_else):
                return code(above.test)
        child, above = above, parent.get(id(above))
    return None


def _truth(test: cst.BaseExpression, known: dict[str, object]) -> bool | None:
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = _truth(test.expression, known)
        return None if inner is None else not inner
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    left, target = test.left, test.comparisons[0]
    right, operator = target.comparator, target.operator
    value, other = _known(left, known), literal_value(right)
    if value is _NOT_LITERAL:
        value, other = _known(right, known), literal_value(left)
    if value is _NOT_LITERAL or other is _NOT_LITERAL:
        return None
    try:
        if isinstance(operator, cst.Equal):
            return value == other
        if isinstance(operator, cst.NotEqual):
            return value != other
        if isinstance(operator, cst.In) and isinstance(other, (list, tuple, set)):
            return value in other
        if isinstance(operator, cst.NotIn) and isinstance(other, (list, tuple, set)):
            return value not in other
    except TypeError:
        return None
    return None


def _known(expr: cst.BaseExpression, known: dict[str, object]) -> object:
    """The default value of `args.model`, `MODEL_TYPE` or `cfg["model"]`, when the script fixes it."""
    if isinstance(expr, cst.Attribute):
        return known.get("." + expr.attr.value, _NOT_LITERAL)
    if isinstance(expr, cst.Name):
        return known.get(expr.value, _NOT_LITERAL)
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
        key = string_value(expr.slice[0].slice.value)
        return known.get(f'["{key}"]', _NOT_LITERAL) if key else _NOT_LITERAL
    return _NOT_LITERAL


def data_definitions(module: cst.Module) -> set[str]:
    """Names and fields read where the script defines its data rather than its model: a dataset
    generator (`make_blobs(centers=N_CLUSTERS)`), or the ground truth a synthetic task is made from
    (`W_target = torch.randn(POLY_DEGREE, 1)`, `y = X @ true_w + bias`)."""
    truth: set[str] = set()
    statements = [s for s in iter_nodes(module, skip=(cst.BaseExpression,)) if isinstance(s, cst.SimpleStatementLine)]
    for stmt in statements:
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                names = [code(t.target) for t in small.targets]
                if any(TRUTH_NAME.search(n) and not PREDICTION_NAME.search(n) for n in names):
                    truth.update(n for n in names if isinstance(small.targets[0].target, cst.Name))
    own = {n.name.value for n in iter_nodes(module, skip=(cst.BaseExpression,)) if isinstance(n, cst.FunctionDef)}
    found: set[str] = set()
    for stmt in statements:
        for small in stmt.body:
            if not isinstance(small, cst.Assign):
                continue
            names = [code(t.target) for t in small.targets]
            reads = _reads(small.value)
            generated = any(
                GENERATORS.match(last_name(c) or "")
                or (last_name(c) in own and DATA_MAKER.match(last_name(c) or "") and c is small.value
                    and not any(MODEL_NAME.search(n) for n in names))
                for c in iter_nodes(small.value) if isinstance(c, cst.Call)
            )
            defines_truth = any(n in truth for n in names) or bool(
                reads & truth and names and all(DATA_NAME.match(n) for n in names)
            )
            if generated or defines_truth:
                found |= reads - truth
    return found | sizing_only(module)


# Calls whose arguments say how many values are drawn or laid out: `rng.normal(6, 1.5, n)`, `np.arange(n)`.
_DRAWS = frozenset({
    "arange", "linspace", "logspace", "normal", "uniform", "randint", "integers", "choice", "rand", "randn",
    "random", "random_sample", "poisson", "binomial", "exponential", "lognormal", "standard_normal", "gamma",
    "beta", "multivariate_normal", "permutation", "randperm", "laplace", "geometric", "negative_binomial",
})
_RANDOM_ROOTS = frozenset({"np", "numpy", "random", "rng", "torch", "generator", "gen", "rs", "state", "random_state"})
_REPORTING = frozenset({"print", "format", "info", "debug", "warning", "log", "log_param", "log_params", "write"})


def sizing_only(module: cst.Module) -> set[str]:
    """Settings whose every read sizes or splits the data: a split point read only as complementary slice
    bounds (`series[:cut]` and `series[cut:]`), a row count read only as the size of random draws or ranges
    (`n = 4000` in `rng.normal(0, 1, n)`, `np.arange(n)`). Printing them does not count. Spelled as
    `data_definitions` spells reads (`n`, `.n_rows`)."""
    parent = parents(module)
    bounds: dict[str, set[str]] = {}  # name -> which sides of a slice it bounds ("lower", "upper")
    for node in iter_nodes(module):
        if isinstance(node, cst.Slice):
            for side in ("lower", "upper"):
                read = _bare_read(getattr(node, side))
                if read is not None:
                    bounds.setdefault(read, set()).add(side)
    splits = {name for name, sides in bounds.items() if sides == {"lower", "upper"}}
    verdicts: dict[str, list[bool]] = {}
    for node in iter_nodes(module):
        spelled = _spelled_read(node, parent)
        if spelled is None:
            continue
        sizing = _sizes_data(node, parent, spelled in splits)
        if sizing is not None:
            verdicts.setdefault(spelled, []).append(sizing)
    # A batch drawn fresh each step (`torch.randn(batch_size)`) sizes the training step, not the data set.
    return {name for name, found in verdicts.items() if found and all(found) and "batch" not in name.lower()}


def _bare_read(bound: cst.BaseExpression | None) -> str | None:
    """`cut` for a slice bound `cut` or `-cut`; `.cut` for `args.cut`."""
    if isinstance(bound, cst.UnaryOperation) and isinstance(bound.operator, cst.Minus):
        bound = bound.expression
    if isinstance(bound, cst.Name):
        return bound.value
    if isinstance(bound, cst.Attribute) and isinstance(bound.value, cst.Name):
        return "." + bound.attr.value
    return None


def _spelled_read(node: cst.CSTNode, parent: dict[int, cst.CSTNode]) -> str | None:
    """How a read is spelled (`n`, `.n`), or None where the node is not a read (a target, a keyword, a name
    being defined, an attribute's own name)."""
    above = parent.get(id(node))
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return None if isinstance(above, cst.AssignTarget) else "." + node.attr.value
    if not isinstance(node, cst.Name):
        return None
    if isinstance(above, cst.Attribute) or isinstance(above, (cst.AssignTarget, cst.Param, cst.FunctionDef,
                                                              cst.ClassDef, cst.NameItem, cst.ImportAlias)):
        return None  # `args.n`'s `n` (the Attribute speaks for it), or a name being defined
    if isinstance(above, cst.Arg) and above.keyword is node:
        return None
    if isinstance(above, (cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor)) and getattr(above, "target", None) is node:
        return None
    return node.value


def _sizes_data(node: cst.CSTNode, parent: dict[int, cst.CSTNode], split_point: bool) -> bool | None:
    """True where the read sizes or splits data, False where it goes anywhere else, None where it is only
    reported (printed or logged)."""
    child, above = node, parent.get(id(node))
    if isinstance(above, cst.UnaryOperation) and isinstance(above.operator, cst.Minus):
        child, above = above, parent.get(id(above))
    if isinstance(above, cst.Slice):
        return split_point
    while isinstance(above, (cst.Tuple, cst.Element)):  # `size=(n, 3)`
        child, above = above, parent.get(id(above))
    if isinstance(above, cst.Arg) and above.value is child:
        call = parent.get(id(above))
        if isinstance(call, cst.Call):
            root = call.func
            while isinstance(root, cst.Attribute):
                root = root.value
            random_root = isinstance(root, cst.Name) and (root.value in _RANDOM_ROOTS or root.value.endswith("rng"))
            if last_name(call) in _DRAWS and (random_root or not isinstance(call.func, cst.Attribute)):
                return True
    for outer in _ancestors(node, parent):
        if isinstance(outer, cst.Call) and last_name(outer) in _REPORTING:
            return None
        if isinstance(outer, cst.FormattedString):
            return None
        if isinstance(outer, cst.BaseStatement):
            break
    return False


def _ancestors(node: cst.CSTNode, parent: dict[int, cst.CSTNode]):
    above = parent.get(id(node))
    while above is not None:
        yield above
        above = parent.get(id(above))


def _reads(expr: cst.BaseExpression) -> set[str]:
    """`N`, `.key` for `args.key`, `["key"]` for `cfg["key"]`: what an expression reads."""
    found: set[str] = set()
    for node in iter_nodes(expr):
        if isinstance(node, cst.Name):
            found.add(node.value)
        elif isinstance(node, cst.Attribute):
            found.add("." + node.attr.value)
        elif isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            key = string_value(node.slice[0].slice.value)
            if key:
                found.add(f'["{key}"]')
    return found


def read_as(key: str, kind: str) -> str:
    """How `data_definitions` and the known defaults spell a hyperparameter's reads."""
    return {"argparse": "." + key, "config-class": "." + key, "config-dict": f'["{key}"]'}.get(kind, key)


def script_defaults(module: cst.Module, argparse_defaults: dict[str, object]) -> dict[str, object]:
    """Values the script fixes: argparse defaults (`.dest`), module constants assigned once (`NAME`),
    and literal config dict entries (`["key"]`)."""
    known: dict[str, object] = {"." + dest: value for dest, value in argparse_defaults.items()}
    counts: dict[str, int] = {}
    values: dict[str, object] = {}
    for node in iter_nodes(module):
        if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
            counts[node.target.value] = counts.get(node.target.value, 0) + 1
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                value = literal_value(small.value)
                if value is not _NOT_LITERAL and counts.get(small.targets[0].target.value) == 1:
                    values[small.targets[0].target.value] = value
                if isinstance(value, dict):
                    known.update({f'["{k}"]': v for k, v in value.items() if isinstance(k, str)})
    known.update(values)
    return known


def floor_divided(module: cst.Module) -> dict[str, int]:
    """Settings the script floor-divides by a whole number (`hidden_dim // 2`, `args.width // 4`), by
    lowercase name: a value that is not a multiple would build layers whose sizes disagree."""
    found: dict[str, int] = {}
    for node in iter_nodes(module):
        if not (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.FloorDivide)):
            continue
        divisor = literal_value(node.right)
        if not isinstance(divisor, int) or isinstance(divisor, bool) or divisor < 2:
            continue
        left = node.left
        name = left.value if isinstance(left, cst.Name) else left.attr.value if isinstance(left, cst.Attribute) else None
        if name is None and isinstance(left, cst.Subscript) and len(left.slice) == 1:
            index = left.slice[0].slice
            name = string_value(index.value) if isinstance(index, cst.Index) else None
        if name:
            key = name.lower()
            found[key] = max(found.get(key, 1), divisor)
    return found
