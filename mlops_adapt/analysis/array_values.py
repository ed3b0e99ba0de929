"""Which names hold arrays, frames or Series rather than one number, so they are never logged as a metric.

A tracker takes one number per metric: `mlflow.log_metric("score", series)` raises (float() of a
Series) and `wandb.log` cannot serialise it. A name counts as array-valued when it is bound to a
pandas or numpy constructor, to the data a loader or `train_test_split` returns, or to an
elementwise expression of such values (`0.4 * np.log(frame["fare"])`, `col.map(...)`). A frame
reduced per column (`frame.mean()`) is a Series too; a column reduced (`frame["a"].mean()`) is one
number.
"""

from __future__ import annotations

import libcst as cst

from mlops_adapt.analysis.exprs import assigned_names, call_name, iter_nodes, last_name, string_value

# pandas callables returning a 2-D frame, and a 1-D Series.
FRAME_MAKERS = frozenset({
    "DataFrame", "read_csv", "read_parquet", "read_json", "read_excel", "read_table", "read_feather",
    "concat", "get_dummies", "merge", "crosstab", "pivot_table",
})
SERIES_MAKERS = frozenset({"Series", "to_datetime", "cut", "qcut"})
# numpy callables returning an array (or applying elementwise to one).
ARRAY_MAKERS = frozenset({
    "array", "asarray", "zeros", "ones", "full", "empty", "arange", "linspace", "logspace", "stack",
    "vstack", "hstack", "concatenate", "column_stack", "zeros_like", "ones_like", "meshgrid",
})
ELEMENTWISE_FUNCS = frozenset({
    "log", "log1p", "log2", "log10", "exp", "expm1", "sqrt", "square", "abs", "absolute", "clip",
    "where", "sign", "tanh", "sin", "cos", "power", "maximum", "minimum", "round", "floor", "ceil",
})
# Methods that keep an array an array (a Series stays a Series).
ELEMENTWISE_METHODS = frozenset({
    "map", "apply", "astype", "clip", "round", "abs", "fillna", "shift", "diff", "cumsum", "cumprod",
    "rank", "where", "mask", "replace", "to_numpy", "copy", "pow", "add", "sub", "mul", "div",
    "reshape", "ravel", "flatten", "transform", "pct_change", "isna", "notna",
})
# Reductions: one number from an array or a column, one number per column from a frame.
REDUCTIONS = frozenset({"mean", "sum", "std", "var", "median", "max", "min", "count", "nunique", "prod", "quantile"})
# Loaders and splitters whose every returned value is data, not a number.
DATA_CALLS = frozenset({"train_test_split"})
DATA_PREFIXES = ("load_", "fetch_", "make_")


class ArrayValues:
    """Array-valued and frame-valued names of a module, found in source order."""

    def __init__(self, qualify) -> None:
        self.qualify = qualify  # local dotted name -> qualified name (the Scanner's imports)
        self.arrays: set[str] = set()  # arrays, Series and frames
        self.frames: set[str] = set()  # 2-D frames, reduced per column

    def collect(self, module: cst.Module) -> None:
        for node in iter_nodes(module):
            if isinstance(node, cst.Assign):
                self._bind(node)

    def _bind(self, node: cst.Assign) -> None:
        names = [n for t in node.targets for n in assigned_names(t.target)]
        tupled = any(isinstance(t.target, (cst.Tuple, cst.List)) for t in node.targets)
        value = node.value
        if tupled:
            callee = last_name(value) if isinstance(value, cst.Call) else None
            if callee in DATA_CALLS or (callee or "").startswith(DATA_PREFIXES) and "datasets" in self._qualified(value):
                self.arrays |= set(names)
            return
        if self.is_frame(value):
            self.frames |= set(names)
            self.arrays |= set(names)
        elif self.elementwise(value):
            self.arrays |= set(names)
        else:
            # Rebound to something else: no longer known to be an array.
            self.arrays -= set(names)
            self.frames -= set(names)

    def _qualified(self, call: cst.Call) -> str:
        return self.qualify(call_name(call)) or ""

    def is_frame(self, expr: cst.BaseExpression) -> bool:
        """A 2-D frame: made by pandas, a frame name, or columns selected by a list."""
        if isinstance(expr, cst.Name):
            return expr.value in self.frames
        if isinstance(expr, cst.Call):
            qualified = self._qualified(expr)
            return qualified.startswith("pandas.") and last_name(expr) in FRAME_MAKERS
        if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
            index = expr.slice[0].slice
            return isinstance(index, cst.Index) and isinstance(index.value, cst.List) and self.is_frame(expr.value)
        return False

    def elementwise(self, expr: cst.BaseExpression) -> bool:
        """True when the expression yields an array, a Series or a frame, not one number."""
        if isinstance(expr, cst.Name):
            return expr.value in self.arrays
        if isinstance(expr, (cst.BinaryOperation,)):
            return self.elementwise(expr.left) or self.elementwise(expr.right)
        if isinstance(expr, cst.UnaryOperation):
            return self.elementwise(expr.expression)
        if isinstance(expr, cst.Comparison):
            return self.elementwise(expr.left) or any(self.elementwise(c.comparator) for c in expr.comparisons)
        if isinstance(expr, cst.Subscript):
            return self._column(expr)
        if isinstance(expr, cst.Attribute):
            return expr.attr.value in ("values", "T") and self.elementwise(expr.value)
        if isinstance(expr, cst.Call):
            return self._call(expr)
        return False

    def _column(self, expr: cst.Subscript) -> bool:
        """`frame["age"]`, `frame[["a", "b"]]`, `arr[mask]`, `arr[:10]`: still many values."""
        if not self.elementwise(expr.value) or len(expr.slice) != 1:
            return False
        index = expr.slice[0].slice
        if isinstance(index, cst.Slice):
            return True
        value = index.value
        if string_value(value) is not None:
            return True  # a column: arrays are not indexed by strings, frames and Series are
        return isinstance(value, cst.List) or self.elementwise(value)

    def _call(self, call: cst.Call) -> bool:
        short = last_name(call)
        qualified = self._qualified(call)
        if qualified.startswith("pandas."):
            return short in FRAME_MAKERS | SERIES_MAKERS
        if qualified.startswith("numpy."):
            if short in ARRAY_MAKERS:
                return True
            if short in ELEMENTWISE_FUNCS:
                return any(self.elementwise(a.value) for a in call.args)
            return False
        if not isinstance(call.func, cst.Attribute):
            return False
        receiver = call.func.value
        if short in ELEMENTWISE_METHODS:
            return self.elementwise(receiver)
        if short in REDUCTIONS:
            # frame.mean() is one value per column; axis=None (or a column's mean) is one number.
            whole = any(a.keyword and a.keyword.value == "axis" and isinstance(a.value, cst.Name)
                        and a.value.value == "None" for a in call.args)
            return self.is_frame(receiver) and not whole
        return False
