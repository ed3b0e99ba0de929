"""Metric sites: printed and logged results, scalar evidence, and the keys results are logged under."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import code, dotted, is_literal, last_name, string_value

PRINT_LIKE = re.compile(r"^(print|tqdm\.write|(logging|logger|log|LOGGER|_logger|self\.logger)\.(info|debug|warning))$")

PURE_CALLS = frozenset({"item", "float", "int", "round", "len", "sum", "abs", "max", "min", "mean", "std"})

NON_SCALAR_METHODS = frozenset(
    {"predict", "predict_proba", "predict_log_proba", "transform", "decision_function", "forward",
     "numpy", "tolist", "detach", "cpu", "argmax", "reshape", "view"}
)

_REDUCTIONS = frozenset({"item", "mean", "sum", "max", "min", "std", "median", "score"})



def is_float_spec(spec: str | None) -> bool:
    return bool(spec) and bool(re.search(r"\.\d+[efgEFG%]?$|[efgEFG%]$", spec or ""))


def computed_metric_dict(value: cst.Dict) -> bool:
    """{"mse": float(...), "mae": ...}: string keys naming metrics, values computed (not literals)."""
    elements = list(value.elements)
    return bool(elements) and all(
        isinstance(e, cst.DictElement) and vocab.is_metric_name(string_value(e.key) or "")
        and not is_literal(e.value)
        # a dict of lists is a history, not one result
        and not isinstance(e.value, (cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.DictComp))
        for e in elements
    )


def scalar_evidence(expr: cst.BaseExpression) -> bool:
    """True when an expression clearly yields one number."""
    if isinstance(expr, (cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.Call):
        short = last_name(expr)
        if short in _REDUCTIONS and (any(a.keyword and a.keyword.value in ("axis", "dim") for a in expr.args)
                                     or (short in ("mean", "sum", "std", "median")
                                         or short in ("max", "min") and isinstance(expr.func, cst.Attribute))
                                     and len([a for a in expr.args if a.keyword is None]) > _data_args(expr)):
            return False  # np.mean(scores, axis=1), t.mean(1): one value per row, not one number
        if is_index_value(expr):
            return False
        if short in vocab.METRIC_FUNCTIONS or short in _REDUCTIONS or short in ("float", "round", "int", "len"):
            return True
        if short in ("sqrt", "log", "exp", "abs") and expr.args:
            return scalar_evidence(expr.args[0].value)
        return False
    if isinstance(expr, cst.BinaryOperation):
        left, right = scalar_evidence(expr.left), scalar_evidence(expr.right)
        return (left or right) and not any(
            isinstance(side, cst.Name) and side.value.lower() in ("x", "y", "preds", "y_pred", "outputs", "logits")
            for side in (expr.left, expr.right)
        )
    if isinstance(expr, cst.Name):
        return vocab.is_metric_name(expr.value) and not expr.value.endswith("s")
    return False


# numpy / torch / statistics functions take the data first (`np.mean(x, 1)`); a method reduces its receiver (`t.mean(1)`).
_FUNCTION_MODULES = frozenset({"np", "numpy", "torch", "statistics", "math", "tf", "jnp"})
# Calls whose result is a position (`np.argmax(scores)`), not a measured value.
INDEX_CALLS = frozenset({"argmax", "argmin", "idxmax", "idxmin", "nanargmax", "nanargmin"})
_INDEX_WRAPPERS = frozenset({"int", "float", "item", "tolist"})


def _data_args(call: cst.Call) -> int:
    """How many positional arguments of a reduction are its data (1 for `np.mean(x)`, 0 for `t.mean()`)."""
    func = call.func
    if isinstance(func, cst.Attribute) and not (isinstance(func.value, cst.Name) and func.value.value in _FUNCTION_MODULES):
        return 0
    return 1


def holds_many(expr: cst.BaseExpression) -> bool:
    """A list, tuple, dict or set display or comprehension: several values, never one metric."""
    return isinstance(expr, (cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp, cst.DictComp, cst.SetComp))


def is_index_value(expr: cst.BaseExpression) -> bool:
    """`int(np.argmax(scores))`, `losses.argmin().item()`: a position in a list, which a metric must not be."""
    while isinstance(expr, cst.Call) and last_name(expr) in _INDEX_WRAPPERS:
        if isinstance(expr.func, cst.Attribute) and last_name(expr) in ("item", "tolist"):
            expr = expr.func.value
        elif expr.args:
            expr = expr.args[0].value
        else:
            return False
    return isinstance(expr, cst.Call) and last_name(expr) in INDEX_CALLS


def print_values(call: cst.Call):
    """(label, expression, has_float_format) for every value a print/log call shows."""
    label = ""
    args = [a for a in call.args if a.keyword is None]
    if args and isinstance(args[0].value, (cst.SimpleString,)) and "%" in (string_value(args[0].value) or "") and len(args) > 1:
        template = string_value(args[0].value) or ""
        yield from _percent_values(template, [a.value for a in args[1:]])
        return
    for value in [piece for arg in args for piece in _concatenated_pieces(arg.value)]:
        if isinstance(value, cst.FormattedString):
            for part in value.parts:
                if isinstance(part, cst.FormattedStringText):
                    label = part.value
                elif isinstance(part, cst.FormattedStringExpression):
                    spec = "".join(code(p) for p in part.format_spec) if part.format_spec else ""
                    yield label, part.expression, is_float_spec(spec)
                    label = ""
        elif isinstance(value, cst.SimpleString):
            label = string_value(value) or ""
        elif isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Modulo) and isinstance(value.left, cst.SimpleString):
            right = value.right
            items = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
            yield from _percent_values(string_value(value.left) or "", items)
        elif isinstance(value, cst.Call) and last_name(value) == "format" and isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.SimpleString):
            template = string_value(value.func.value) or ""
            pieces = re.split(r"\{[^}]*\}", template)
            specs = re.findall(r"\{([^}]*)\}", template)
            for i, a in enumerate(a for a in value.args if a.keyword is None):
                yield (pieces[i] if i < len(pieces) else ""), a.value, is_float_spec(specs[i] if i < len(specs) else "")
        else:
            yield label, value, False
            label = ""


def _concatenated_pieces(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The strings of an implicit concatenation (`f"a {x:.4f} " f"b {y:.4f}"`) in order; else the value itself."""
    if isinstance(value, cst.ConcatenatedString):
        return _concatenated_pieces(value.left) + _concatenated_pieces(value.right)
    return [value]


def _percent_values(template: str, values: list):
    pieces = re.split(r"%[-+ #0]*\d*(?:\.\d+)?[sdifeEgGr%]", template)
    specs = re.findall(r"%[-+ #0]*\d*(?:\.\d+)?([sdifeEgGr%])", template)
    for i, value in enumerate(values):
        spec = specs[i] if i < len(specs) else "s"
        yield (pieces[i] if i < len(pieces) else ""), value, spec in "feEgG"



_LABEL_FILLERS = {"is", "was", "of", "the", "and", "with", "at", "for", "on", "in", "to", "after", "a", "an"}



def _singular(name: str) -> str:
    """'scores' -> 'score', 'losses' -> 'loss' (for keys naming one entry of a list)."""
    if name.endswith("sses"):
        return name[:-2]
    return name[:-1] if name.endswith("s") and len(name) > 3 and not name.endswith("ss") else name


def ranking_cutoff_key(label: str, expr: cst.BaseExpression) -> str:
    """'recall_at_k' for the `{k}` of "recall@{k}" (a cutoff the next value is measured at); else ''."""
    if not label.rstrip().endswith("@") or not isinstance(expr, (cst.Name, cst.Attribute, cst.Integer)):
        return ""
    cutoff = expr.attr.value if isinstance(expr, cst.Attribute) else expr.value
    key = vocab.slug(f"{metric_key(label, expr)}_at_{cutoff}")
    return key if vocab.is_metric_name(key) else ""


def metric_key(label: str, expr: cst.BaseExpression) -> str:
    # f-string text holds escapes as written: "Test Error: \n Accuracy: " ends a line before "Accuracy".
    label = re.split(r"[,;|()\[\]\n\t]|\\[nt]", label.strip(" :=-"))[-1] if label.strip() else ""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9_@]*", label) if w.lower() not in _LABEL_FILLERS]
    if words:
        key = vocab.slug("_".join(words[-4:]))
        # "best alpha {a} with r2 {best_r2}": the variable names the value better than the label
        if isinstance(expr, cst.Name) and set(key.split("_")) < set(expr.value.lower().split("_")):
            return expr.value
        if key:
            return key
    if isinstance(expr, cst.Name):
        return expr.value
    arg = expr.args[0].value if isinstance(expr, cst.Call) and expr.args else None
    if arg is not None and last_name(expr) in ("mean", "std", "median", "min", "max") and isinstance(arg, cst.Name):
        return vocab.slug(f"{arg.value}_{last_name(expr)}")  # np.std(scores) -> scores_std
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        base = dotted(expr.func.value)
        if last_name(expr) in ("item",) and base:
            return vocab.slug(base.split(".")[-1])
        if last_name(expr) in ("mean", "std") and base:
            return vocab.slug(f"{base.split('.')[-1]}_{last_name(expr)}")
        return vocab.slug(last_name(expr) or "")
    if isinstance(expr, cst.Call):
        return vocab.slug(last_name(expr) or "")
    if isinstance(expr, cst.Subscript):
        base = dotted(expr.value)
        # scores[-1] is the latest entry of a list of scores: name it "score"
        return _singular(vocab.slug(base)) if base else vocab.slug(code(expr))
    if isinstance(expr, cst.Attribute):
        return vocab.slug(expr.attr.value)
    return ""

