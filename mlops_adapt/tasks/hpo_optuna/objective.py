"""What an Optuna script's objective is scored on, which way it should go, and what its suggestions change."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from mlops_adapt.tasks.hpo_optuna.dataflow import (
    FUNCTIONS,
    Frame,
    Program,
    last_attr,
    root_name,
    string_key,
    user_attr_key,
)
from mlops_adapt.vocabulary import TRAIN_METHODS, direction_of, is_metric_name

# A name part that means "the test split": X_test, y_te, test_loader, testset, Xtest, "test.csv".
_TEST_PART = re.compile(
    r"^(x|y|xs|ys)?(test|tst|te|testing)"
    r"(s|set|sets|loader|loaders|data|dataset|datasets|ds|dl|df|x|y|images|labels|targets|inputs|features|iter)?$"
)
_TRAIN_PART = re.compile(r"^(x|y|xs|ys)?(train|tr|trn|training|fit)(ing|set|loader|data|dataset|ds|df|x|y)?$")
# A last part that makes the name a setting about the test split, not the split: test_size, test_batch_size.
_SETTING_PART = frozenset({
    "size", "sizes", "batch", "ratio", "frac", "fraction", "pct", "percent", "split", "splits", "every",
    "interval", "freq", "frequency", "steps", "step", "n", "num", "count", "seed", "kwargs", "args",
    "cfg", "config", "fn", "func", "function", "mode", "flag", "cut", "cutoff", "len", "length",
})
_CV_RESULT_KEY = re.compile(r"^(mean_|std_|rank_|split\d+_)?test_\w+$")
SPLIT_FUNCTIONS = frozenset({"train_test_split", "random_split"})

# Calls whose arguments go nowhere the model sees: output, logging and tracking.
_REPORTING_CALLS = frozenset({
    "print", "pprint", "info", "debug", "warning", "warn", "error", "critical", "exception", "log",
    "log_param", "log_params", "log_metric", "log_metrics", "log_dict", "log_text", "log_artifact",
    "set_tag", "set_tags", "set_user_attr", "set_system_attr", "report", "write", "format",
    "add_scalar", "add_scalars", "add_text", "add_hparams", "enqueue_trial", "dump", "dumps",
})
_REPORTING_ROOTS = frozenset({"logging", "logger", "log", "mlflow", "wandb", "writer", "tb", "sys", "json"})
# Methods through which a value enters a container the script reads later.
_MUTATORS = frozenset({"update", "append", "extend", "insert", "setdefault", "add", "__setitem__"})
# Class-like callees that only hold values (the value goes on into the object they return).
_HOLDERS = re.compile(
    r"(Namespace|SimpleNamespace|OrderedDict|defaultdict|Counter|Path|Decimal|Fraction|"
    r"DataLoader|Loader|Dataset|Subset|TensorDataset|DataFrame|Series|Tensor|Generator|RandomState)$"
)
# Closed-form fits (`np.linalg.solve(X.T @ X + alpha * I, X.T @ y)`): their result is the model.
_SOLVERS = frozenset({"solve", "lstsq", "inv", "pinv", "cholesky", "svd", "eigh", "eig", "qr", "polyfit", "lsqr"})
_NUMERIC_ROOTS = frozenset({"np", "numpy", "scipy", "linalg", "la", "sp", "torch"})
# Training calls made on a value: it is the model, its optimizer, or what trains them.
_TRAINING_METHODS = frozenset(TRAIN_METHODS | {
    "set_params", "compile", "fit_generator", "train_on_batch", "backward", "step", "zero_grad",
})


# torch's in-place tensor updates (`add_`, `sub_`, `mul_`, `addcmul_`, `copy_`).
_IN_PLACE = re.compile(r"^(add|sub|mul|div|addcmul|addcdiv|copy|lerp|clamp)_$")


@dataclass(frozen=True)
class Score:
    """What the objective returns: its name (for the reasons) and the direction it calls for."""

    label: str
    direction: str | None


def read(source: str) -> Program | None:
    """The script's data flow with its objectives found and its trial names marked (None if it does not parse)."""
    program = Program.parse(source)
    if program is not None:
        objectives(program)
    return program


def objectives(program: Program) -> list[ast.AST]:
    """The functions passed to `study.optimize` (a def, a lambda, a partial, a callable object)."""
    found: list[ast.AST] = []
    for call in program.calls:
        if last_attr(call.func) != "optimize" or not isinstance(call.func, ast.Attribute):
            continue
        given = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "func"), None)
        func = _callable(program, given)
        if func is not None and not any(f is func for f in found):
            found.append(func)
    for func in found:
        program.mark_trial(func)
    return found


def _callable(program: Program, expr: ast.AST | None) -> ast.AST | None:
    if isinstance(expr, ast.Lambda):
        return expr
    if isinstance(expr, ast.Call) and last_attr(expr.func) == "partial" and expr.args:
        return _callable(program, expr.args[0])
    if isinstance(expr, ast.Attribute):
        methods = program.methods(expr.attr)
        return methods[-1] if methods else None
    if not isinstance(expr, ast.Name):
        return None
    defs = program.defs_of_function.get(program.binding.get(id(expr), (0, "")), [])
    if defs:
        return defs[-1]
    for target in program.stores.get(program.binding.get(id(expr), (0, "")), []):
        value = program.def_value(target)
        if isinstance(value, (ast.Lambda, ast.Attribute)):  # `objective = lambda trial: ...`, `= self.objective`
            return _callable(program, value)
        if isinstance(value, ast.Call):
            cls = program.constructed_class(value)
            if cls is not None:
                calls = [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__call__"]
                if calls:
                    return calls[0]
    return None


def name_parts(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [p for p in re.split(r"[^0-9a-zA-Z]+|(?<=[a-zA-Z])(?=[0-9])", spaced.lower()) if p and not p.isdigit()]


def is_test_name(name: str) -> bool:
    """X_test, y_te, test_loader, testset, test_acc; not test_size or test_batch_size."""
    parts = name_parts(name)
    if any(p in _COUNT_PART for p in parts):
        return False  # n_test, test_num_ng: a count of test items, a setting
    return bool(parts) and parts[-1] not in _SETTING_PART and any(_TEST_PART.match(p) for p in parts)


_COUNT_PART = frozenset({"n", "num", "number", "nb"})


def is_train_name(name: str) -> bool:
    return any(_TRAIN_PART.match(p) for p in name_parts(name))


# ---------------------------------------------------------------------------- test split
def test_split_evidence(program: Program, objective: ast.AST) -> str | None:
    """What shows that the objective's score is computed from the test split, or None.

    The signals: data stored under a test name (`X_test`, `test_loader`) that is not a split
    carved from the training data, a `split="test"`/`"test.csv"` string, `train=False` (torchvision's
    test set), and, when the flow shows nothing, the returned score's own name (`test_mse`)."""
    frame = Frame(objective)
    carved: list[bool] = []
    for value in program.returns(objective):
        found = program.walk(value, frame, lambda node, fr: _test_signal(program, node, carved))
        if found:
            return found
        named = value.id if isinstance(value, ast.Name) else user_attr_key(value)
        if named and is_test_name(named) and not carved:
            return named
    return None


def _test_signal(program: Program, node: ast.AST, carved: list[bool]) -> str | None:
    if isinstance(node, ast.Name):
        if isinstance(node.ctx, ast.Load):
            # A read shows its definitions next; only a name defined nowhere speaks for itself.
            return node.id if is_test_name(node.id) and not program.has_definitions(node) else None
        if carved_from_training(program, node):
            carved.append(True)
            return None
        if not is_test_name(node.id):
            return None
        if _accumulates(program, node):
            return None  # `test_loss = 0`, `test_loss += ...`: what is added up decides, not the name
        value = program.def_value(node)
        if isinstance(value, ast.Call) and last_attr(value.func) in _CV_CURVES:
            return None  # `train_scores, test_scores = validation_curve(...)`: scores on CV folds
        if _cv_fold(program, node):
            return None  # `for train_ids, test_ids in kfold.split(X)`: each fold's held-out rows (cross-validation)
        if _test_part_of_split(program, node):
            return node.id  # train_test_split's second part of each array, whatever the arrays came from
        if _passed_on(program, node) or program.derived_from_params(node):
            return None  # where the value comes from decides, not the name it is passed on under
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and is_test_name(node.attr):
        return ast.unparse(node)
    if isinstance(node, ast.keyword) and node.arg == "train":
        value = node.value
        return "train=False" if isinstance(value, ast.Constant) and value.value is False else None
    text = string_key(node)
    if text is None or len(text) > 80 or user_attr_key(program.parent.get(id(node))) == text:
        return None  # the key of a reported result: what was reported under it decides
    if is_metric_name(re.sub(r"\W+", "_", text)):
        return None  # `metrics["test_r2"]`: a result's label; the data it was computed from decides
    if _setting_key(program, node):
        return None  # `{"n_test": 200}`: a config's count of test rows, not test data
    if _label_of_named_data(program, node):
        return None  # `{"test": (X_test, y_test)}`: the walk reads the named data itself
    if is_test_name(re.sub(r"\W+", "_", text)):
        return None if _cv_result_key(program, node, text) else repr(text)
    return None


_CV_SPLITTER = re.compile(r"(Fold|ShuffleSplit|TimeSeriesSplit|LeaveOneOut|LeavePOut|LeaveOneGroupOut)$")


def _cv_fold(program: Program, target: ast.Name) -> bool:
    """A target of `for ... in <splitter>.split(...)` (KFold, StratifiedKFold, ShuffleSplit...): a fold of
    cross-validation, which scores every row once and is validation data, not the test split."""
    loop = next((a for a in program.ancestors(target) if isinstance(a, (ast.For, ast.comprehension))), None)
    if loop is None or not any(n is target for n in ast.walk(loop.target)):
        return False
    for call in (n for n in ast.walk(loop.iter) if isinstance(n, ast.Call)):
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "split"):
            continue
        splitter = call.func.value
        made = [program.def_value(d) for d in program.reaching(splitter)] if isinstance(splitter, ast.Name) else [splitter]
        if made and all(isinstance(m, ast.Call) and _CV_SPLITTER.search(last_attr(m.func) or "") for m in made):
            return True
    return False


def _setting_key(program: Program, node: ast.AST) -> bool:
    """The key of a dict display whose value for it is a number or a string literal (a setting)."""
    holder = program.parent.get(id(node))
    if not isinstance(holder, ast.Dict) or not any(k is node for k in holder.keys):
        return False
    value = holder.values[next(i for i, k in enumerate(holder.keys) if k is node)]
    return isinstance(value, ast.Constant) and not isinstance(value.value, bool)


def _label_of_named_data(program: Program, node: ast.AST) -> bool:
    """The key of a dict display whose value for it is variables defined in the file (or a tuple of them),
    or the label beside such a variable in a pair (xgboost's `evals=[(dtest, "test")]`)."""
    holder = program.parent.get(id(node))
    if isinstance(holder, ast.Tuple) and len(holder.elts) == 2:
        other = holder.elts[1] if holder.elts[0] is node else holder.elts[0]
        return isinstance(other, ast.Name) and program.has_definitions(other)
    if not isinstance(holder, ast.Dict) or not any(k is node for k in holder.keys):
        return False
    value = holder.values[next(i for i, k in enumerate(holder.keys) if k is node)]
    names = value.elts if isinstance(value, ast.Tuple) else [value]
    return all(isinstance(n, ast.Name) and program.has_definitions(n) for n in names)


def carved_from_training(program: Program, target: ast.Name) -> bool:
    """`X_tr, X_val, ... = train_test_split(X_train, y_train)`, `X_val = X_train[-50:]`: the stored
    data comes only from training data (whatever the target is called)."""
    value = program.def_value(target)
    sources = _data_sources(value) if value is not None else None
    if not is_test_name(target.id) and not (isinstance(value, ast.Call) and last_attr(value.func) in SPLIT_FUNCTIONS):
        return False  # under another name, only a split says that rows are held out
    if sources is None and isinstance(value, (ast.DictComp, ast.ListComp, ast.SetComp)):
        # `test_pos = {u: items[-1] for u, items in groups_train.items()}`: the groups it iterates over
        sources = [n for gen in value.generators for n in (_data_sources(_container(gen.iter)) or [])]
    if sources is None and isinstance(value, ast.Call):
        # `test_bags = Bags(images_train[cut:], 60, seed)`: a container built over row slices; its other
        # arguments are settings.
        sources = [n for arg in (*value.args, *(k.value for k in value.keywords)) if _row_selection(arg)
                   for n in (_data_sources(arg) or [])]
    return bool(sources) and all(_training_data(program, n) for n in sources)


def _container(expr: ast.AST) -> ast.AST:
    """`groups` for `groups.items()` (or `.values()`, `.keys()`): what a loop over it reads."""
    if isinstance(expr, ast.Call) and not expr.args and last_attr(expr.func) in ("items", "values", "keys"):
        return expr.func.value
    return expr


def _row_selection(expr: ast.AST) -> bool:
    """`X[a:b]`, `X[a:b, :3]`: rows sliced out of an array."""
    if not isinstance(expr, ast.Subscript):
        return False
    rows = expr.slice.elts[0] if isinstance(expr.slice, ast.Tuple) and expr.slice.elts else expr.slice
    return isinstance(rows, ast.Slice)


def _training_data(program: Program, name: ast.Name) -> bool:
    """X_train, `dataset1 = datasets.MNIST(root, train=True)`, or what `train_loader = DataLoader(dataset1)` loads."""
    if is_train_name(name.id):
        return True
    binding = program.binding.get(id(name))
    for read in program.loads.get(binding, []) if binding is not None else []:
        call = program.parent.get(id(read))
        holder = program.parent.get(id(call))
        if (
            isinstance(call, ast.Call) and call.args and call.args[0] is read and "Loader" in (last_attr(call.func) or "")
            and isinstance(holder, ast.Assign) and any(isinstance(t, ast.Name) and is_train_name(t.id) for t in holder.targets)
        ):
            return True
    statement = program.statement(name)
    values = [program.def_value(d) for d in program.reaching(name) if program.statement(d) is not statement]
    if values and all(_rows_beside_test(program, v) for v in values):
        return True
    return bool(values) and all(
        isinstance(v, ast.Call) and any(
            k.arg == "train" and isinstance(k.value, ast.Constant) and k.value.value is True for k in v.keywords
        )
        for v in values
    )


def _row_split(expr: ast.AST | None) -> tuple[str, str, str, str] | None:
    """(array, "head"/"tail", bound, other dimensions) for `data[3:, :-1]` (or a conversion of those rows,
    `torch.from_numpy(data[3:, :-1])`); None for anything else."""
    if isinstance(expr, ast.Call) and len(expr.args) == 1 and not isinstance(expr.args[0], ast.Starred):
        expr = expr.args[0]
    if not (isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name)):
        return None
    dims = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
    rows = dims[0]
    if not isinstance(rows, ast.Slice) or rows.step is not None or (rows.lower is None) == (rows.upper is None):
        return None
    side, bound = ("head", rows.upper) if rows.lower is None else ("tail", rows.lower)
    return expr.value.id, side, ast.unparse(bound), ", ".join(ast.unparse(d) for d in dims[1:])


def _rows_beside_test(program: Program, value: ast.AST | None) -> bool:
    """`input = data[3:, :-1]` where `test_input = data[:3, :-1]`: the rows a test slice leaves, i.e. training data."""
    split = _row_split(value)
    if split is None:
        return False
    array, side, bound, others = split
    other = (array, "tail" if side == "head" else "head", bound, others)
    return any(
        is_test_name(target.id) and _row_split(program.def_value(target)) == other
        for stores in program.stores.values() for target in stores
    )


def _data_sources(expr: ast.AST) -> list[ast.Name] | None:
    """The names of the arrays an expression selects rows from (None when it computes something else)."""
    if isinstance(expr, ast.Name):
        return [expr]
    if isinstance(expr, (ast.Subscript, ast.Attribute)):
        return _data_sources(expr.value)  # X_train[idx], X_train.iloc[...]: the indices select, X_train is the data
    if isinstance(expr, ast.Call) and last_attr(expr.func) in SPLIT_FUNCTIONS:
        found: list[ast.Name] = []
        for arg in expr.args[:1] if last_attr(expr.func) == "random_split" else expr.args:
            names = _data_sources(arg)
            if names is None:
                return None
            found += names
        return found
    return None


# Functions whose "test" scores are cross-validation folds' held-out scores, not a test split's.
_CV_CURVES = frozenset({"validation_curve", "learning_curve", "cross_validate", "permutation_test_score"})


def _test_part_of_split(program: Program, target: ast.Name) -> bool:
    """`X_train, X_test, y_train, y_test = train_test_split(X, y)`: the target is a held-out part (odd position)."""
    value = program.def_value(target)
    above = program.parent.get(id(target))
    if not (isinstance(value, ast.Call) and last_attr(value.func) == "train_test_split" and isinstance(above, ast.Tuple)):
        return False
    index = next((i for i, e in enumerate(above.elts) if e is target), 0)
    return len(above.elts) % 2 == 0 and index % 2 == 1


def _accumulates(program: Program, target: ast.Name) -> bool:
    """An accumulator's store: its numeric start (`test_loss = 0`, when the name is added to later)
    or an augmented assignment (`test_loss += loss.item()`)."""
    statement = program.statement(target)
    if isinstance(statement, ast.AugAssign):
        return True
    value = program.def_value(target)
    if isinstance(value, (ast.List, ast.Dict, ast.Set)) and not getattr(value, "elts", getattr(value, "keys", None)):
        return _filled_from_test_names(program, target)
    if not (isinstance(value, ast.Constant) and isinstance(value.value, (int, float)) and not isinstance(value.value, bool)):
        return False
    binding = program.binding.get(id(target))
    return any(isinstance(program.statement(d), ast.AugAssign) for d in program.stores.get(binding, []))


def _filled_from_test_names(program: Program, target: ast.Name) -> bool:
    """`test_data = []` filled by `test_data.append(...)` in a loop over `test_pos.items()`: every fill reads
    data under a test name (in its arguments or its loop), whose own definitions then decide."""
    fills = []
    for read in program.loads.get(program.binding.get(id(target)), []):
        method = program.parent.get(id(read))
        call = program.parent.get(id(method))
        if isinstance(method, ast.Attribute) and method.attr in _MUTATORS and isinstance(call, ast.Call):
            fills.append(call)
    if not fills:
        return False
    for call in fills:
        read = [n for n in ast.walk(call) if isinstance(n, ast.Name)]
        for loop in program.enclosing_loops(call):
            read += [n for n in ast.walk(getattr(loop, "iter", loop)) if isinstance(n, ast.Name)]
        if not any(is_test_name(n.id) for n in read if n.id != target.id):
            return False
    return True


def _passed_on(program: Program, target: ast.Name) -> bool:
    """The stored value is another name's, what a function of this file returns, or computed from
    other test data: its sources decide (`X_test = scaler.transform(X_test)`)."""
    value = program.def_value(target)
    if isinstance(value, (ast.Name, ast.Attribute)):
        return True
    if isinstance(value, ast.Call) and program.callees(value):
        return True
    if (
        isinstance(value, ast.Call) and _HOLDERS.search(last_attr(value.func) or "") and value.args
        and isinstance(value.args[0], (ast.Name, ast.Attribute))
    ):
        return True  # `test_loader = DataLoader(dataset2)`: the data it wraps decides
    return value is not None and any(
        is_test_name(n.id) for n in ast.walk(value) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    )


def _cv_result_key(program: Program, node: ast.AST, text: str) -> bool:
    """`cross_validate(...)["test_score"]`, `search.cv_results_["mean_test_score"]`: CV folds, not a test split."""
    above = program.parent.get(id(node))
    if not _CV_RESULT_KEY.match(text) or not isinstance(above, ast.Subscript):
        return False

    def from_cv(sub: ast.AST, _frame: Frame) -> str | None:
        if isinstance(sub, ast.Call) and last_attr(sub.func) in ("cross_validate", "cross_val_predict"):
            return "cv"
        if isinstance(sub, ast.Attribute) and sub.attr == "cv_results_":
            return "cv"
        return None

    return program.walk(above.value, Frame(program.unit(above)), from_cv) is not None


# ---------------------------------------------------------------------------- direction
def score(program: Program, objective: ast.AST) -> Score | None:
    """The metric the objective returns and the direction its name calls for (None if unclear)."""
    for value in program.returns(objective):
        found = _direction(program, value, Frame(objective), set())
        if found is not None:
            return found
    values = program.returns(objective)
    return Score(ast.unparse(values[-1]), None) if values else None


def _direction(program: Program, expr: ast.AST, frame: Frame, seen: set[int]) -> Score | None:
    if id(expr) in seen or len(seen) > 400:
        return None
    seen.add(id(expr))
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        return _flipped(_direction(program, expr.operand, frame, seen))
    if isinstance(expr, ast.BinOp):
        if isinstance(expr.op, ast.Sub) and isinstance(expr.left, ast.Constant) and expr.left.value in (1, 1.0, 100):
            return _flipped(_direction(program, expr.right, frame, seen))
        return _direction(program, expr.left, frame, seen) or _direction(program, expr.right, frame, seen)
    if isinstance(expr, ast.IfExp):
        return _direction(program, expr.body, frame, seen)
    key = user_attr_key(expr)
    if key is not None:
        if direction_of(key):
            return Score(key, direction_of(key))
        for call in program.calls:
            if last_attr(call.func) == "set_user_attr" and len(call.args) >= 2 and string_key(call.args[0]) == key:
                found = _direction(program, call.args[1], Frame(program.unit(call)), seen)
                if found:
                    return found
        return None
    if isinstance(expr, ast.Name):
        if direction_of(expr.id):
            return Score(expr.id, direction_of(expr.id))
        for _target, value, where in program.sources(expr, frame):
            found = _direction(program, value, where, seen)
            if found:
                return found
        return None
    if isinstance(expr, ast.Call):
        name = last_attr(expr.func) or ""
        if name in ("cross_val_score", "cross_validate"):
            return Score(name, "maximize")  # scikit-learn scorers are all greater-is-better
        callees = program.callees(expr)
        if callees and frame.depth < 8:
            for func in callees:
                inner = program.bind(func, expr, frame)
                for value in program.returns(func):
                    found = _direction(program, value, inner, seen)
                    if found:
                        return found
            return None
        if direction_of(name) and name not in ("mean", "item"):
            return Score(name, direction_of(name))
        if isinstance(expr.func, ast.Attribute):
            found = _direction(program, expr.func.value, frame, seen)
            if found:
                return found
        for arg in expr.args[:1]:
            return _direction(program, arg, frame, seen)
        return None
    if isinstance(expr, ast.Subscript):
        key = string_key(expr.slice)
        if key and direction_of(key):
            return Score(key, direction_of(key))
        return _direction(program, expr.value, frame, seen)
    if isinstance(expr, ast.Attribute):
        if direction_of(expr.attr):
            return Score(ast.unparse(expr), direction_of(expr.attr))
        return _direction(program, expr.value, frame, seen)
    return None


def _flipped(found: Score | None) -> Score | None:
    if found is None or found.direction is None:
        return found
    other = "minimize" if found.direction == "maximize" else "maximize"
    return Score(f"-{found.label}", other)


# ---------------------------------------------------------------------------- suggestions
@dataclass(frozen=True)
class Suggestion:
    name: str
    method: str
    line: int
    changes_model: bool
    dead_end: str  # what happens to it instead, when it changes nothing


def suggestions(program: Program) -> list[Suggestion]:
    """Every `trial.suggest_*(...)` call, and whether its value reaches the model or its training."""
    found = []
    for call in program.calls:
        method = last_attr(call.func) or ""
        if not (isinstance(call.func, ast.Attribute) and method.startswith("suggest_")):
            continue
        name = string_key(call.args[0]) if call.args else None
        name = name or next((string_key(k.value) for k in call.keywords if k.arg == "name"), None)
        name = name or ast.unparse(call)
        flow = _Reach(program)
        starts: list[ast.AST] = [call] + _trial_param_reads(program, name)
        reached = any(flow.reaches(start) for start in starts)
        found.append(Suggestion(name, method, call.lineno, reached, flow.dead_end()))
    return found


def _trial_param_reads(program: Program, name: str) -> list[ast.AST]:
    """`trial.params["lr"]`: the suggested value read back from the trial."""
    return [
        n for n in ast.walk(program.tree)
        if isinstance(n, ast.Subscript) and string_key(n.slice) == name
        and isinstance(n.value, ast.Attribute) and n.value.attr == "params" and program.is_trial(n.value.value)
    ]


class _Reach:
    """Follows a value forward until it reaches what builds or trains a model (a sink)."""

    def __init__(self, program: Program) -> None:
        self.p = program
        self.seen: set[int] = set()
        self.ends: list[str] = []

    def dead_end(self) -> str:
        if "evaluation" in self.ends:
            return "it only reaches evaluation code"
        if "reported" in self.ends:
            return "it is only printed or logged"
        return "its value is never used"

    def reaches(self, node: ast.AST) -> bool:
        todo = [node]
        while todo:
            current = todo.pop()
            if id(current) in self.seen or len(self.seen) > 20_000:
                continue
            self.seen.add(id(current))
            result = self._step(current)
            if result is True:
                return True
            todo.extend(result)
        return False

    def _step(self, node: ast.AST) -> bool | list[ast.AST]:
        """True at a sink, else the nodes the value flows on to (none at a dead end)."""
        p = self.p
        above = p.parent.get(id(node))
        if above is None:
            return []
        if isinstance(above, ast.keyword):
            return self._into_call(p.parent[id(above)], node, above.arg or "**")
        if isinstance(above, ast.Starred) and isinstance(p.parent.get(id(above)), ast.Call):
            return self._into_call(p.parent[id(above)], above, "*")
        if isinstance(above, ast.Call):
            if above.func is node:  # a suggested class or function is what gets called
                return [above]
            return self._into_call(above, node, None)
        if isinstance(above, ast.Attribute):
            call = p.parent.get(id(above))
            if isinstance(call, ast.Call) and call.func is above:
                if above.attr in _TRAINING_METHODS:
                    return True
                if above.attr in _MUTATORS:
                    return p.stored_reads(node) if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) else []
            return [above]
        if isinstance(above, (ast.Tuple, ast.List)) and isinstance(p.parent.get(id(above)), ast.Assign):
            assign = p.parent[id(above)]
            if assign.value is above and all(isinstance(t, (ast.Tuple, ast.List)) for t in assign.targets):
                index = next(i for i, e in enumerate(above.elts) if e is node)
                return [r for t in assign.targets if len(t.elts) == len(above.elts) for r in p.stored_reads(t.elts[index])]
        if isinstance(above, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
            if getattr(above, "value", None) is not node:
                return []
            targets = above.targets if isinstance(above, ast.Assign) else [above.target]
            if self._in_training_loop(above):
                return True
            return [r for t in targets for r in p.stored_reads(t)]
        if isinstance(above, ast.AugAssign):
            return True if self._in_training_loop(above) else p.stored_reads(above.target)
        if isinstance(above, ast.Return):
            unit = p.unit(above)
            if any(unit is o for o in p.objectives):
                self.ends.append("returned")
                return []
            return list(p.call_sites(unit))
        if isinstance(above, (ast.For, ast.AsyncFor)) and above.iter is node:
            if _is_training_loop(p, above):
                return True
            self.ends.append("evaluation")
            return p.stored_reads(above.target)
        if isinstance(above, ast.comprehension):
            return [p.parent[id(above)]] if above.iter is node else []
        if isinstance(above, ast.While) and above.test is node:
            return True if _is_training_loop(p, above) else []
        if isinstance(above, ast.If) and above.test is node:
            return True if self._in_training_loop(above) and _acts(above) else []
        if isinstance(above, ast.withitem):
            return p.stored_reads(above.optional_vars) if above.optional_vars is not None else []
        if isinstance(above, (ast.expr, ast.comprehension)) and not isinstance(above, FUNCTIONS):
            return [above]  # arithmetic, containers, f-strings, subscripts, comparisons
        return []

    def _into_call(self, call: ast.Call, arg: ast.AST, keyword: str | None) -> bool | list[ast.AST]:
        p = self.p
        name = last_attr(call.func) or ""
        root = root_name(call.func)
        if name in _REPORTING_CALLS or (root in _REPORTING_ROOTS and root != name):
            self.ends.append("reported")
            return []
        if name.endswith(("Error", "Exception", "Warning")):
            self.ends.append("reported")  # an exception's message, not a model
            return []
        if _IN_PLACE.match(name) and any(_is_training_loop(p, loop) for loop in p.enclosing_loops(call)):
            return True  # `p.data.add_(p.grad, alpha=-lr)`: a hand-written update step
        if _IN_PLACE.match(name) and any(isinstance(n, ast.Attribute) and n.attr == "grad" for n in ast.walk(call)):
            return True  # the same step, in a loop over the parameters once per batch (`for p in net.parameters():`)
        if isinstance(call.func, ast.Attribute) and name in _TRAINING_METHODS:
            return True
        if name in _SOLVERS and root in _NUMERIC_ROOTS:
            return True  # a closed-form fit: the solution is the model
        if isinstance(call.func, ast.Attribute) and name in _MUTATORS:
            return p.stored_reads(call.func.value) if isinstance(call.func.value, (ast.Name, ast.Attribute, ast.Subscript)) else []
        callees = p.callees(call)
        if callees:
            return [r for func in callees for r in self._into_params(func, call, arg, keyword)]
        cls = p.constructed_class(call)
        if cls is not None:
            inits = [f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"]
            if inits:
                return self._into_params(inits[0], call, arg, keyword)
            return [call]  # a dataclass or plain holder: the value lives in the instance
        if name[:1].isupper() and not _HOLDERS.search(name):
            return True  # an estimator, network, optimizer or scheduler is built with it
        return [call]

    def _into_params(self, func: ast.AST, call: ast.Call, arg: ast.AST, keyword: str | None) -> list[ast.AST]:
        """The reads, inside `func`, of the parameter(s) the argument binds to (all of them for */**)."""
        p = self.p
        if keyword in ("*", "**"):
            params = list(p.params.get(id(func), []))
        else:
            frame = p.bind(func, call, Frame(p.tree))
            params = [name for name, (value, _) in frame.env.items() if value is arg]
        reads: list[ast.AST] = []
        for name in params:
            reads += p.loads.get((id(func), name), [])
        return reads

    def _in_training_loop(self, node: ast.AST) -> bool:
        loops = self.p.enclosing_loops(node)
        return bool(loops) and _is_training_loop(self.p, loops[0])


def _is_training_loop(program: Program, loop: ast.AST, depth: int = 0) -> bool:
    """A loop that trains: it calls fit/backward/step (or a function of this file that does), or it
    updates state it carries from one iteration to the next (`w -= lr * grad`, `centers = f(labels)`)."""
    for node in ast.walk(loop):
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Sub):
            return True
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in _TRAINING_METHODS - {"compile"}:
                return True
            if depth < 2 and any(_trains(program, f, depth + 1) for f in program.callees(node)):
                return True
    if isinstance(loop, ast.While) or (
        isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and last_attr(loop.iter.func) == "range"
    ):
        return _carries_state(program, loop)
    return False


def _trains(program: Program, func: ast.AST, depth: int) -> bool:
    body = func.body if isinstance(func.body, list) else [func.body]
    return any(_is_training_loop(program, stmt, depth) for stmt in body)


def _carries_state(program: Program, loop: ast.AST) -> bool:
    """Some name bound before the loop is reassigned in it and read in it (iterative updates)."""
    start = loop.lineno
    assigned = {
        program.binding[id(t)]
        for node in ast.walk(loop) if isinstance(node, ast.Assign)
        for t in ast.walk(node) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)
    }
    read = {
        program.binding[id(n)] for n in ast.walk(loop) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    }
    for binding in assigned & read:
        if any(d.lineno < start for d in program.stores.get(binding, [])):
            return True
    return False


def _acts(branch: ast.If) -> bool:
    """The `if` inside a training loop changes the training (stops it, skips, or updates state)."""
    for stmt in branch.body:
        if isinstance(stmt, (ast.Break, ast.Continue, ast.Return, ast.Raise, ast.Assign, ast.AugAssign)):
            return True
        call = stmt.value if isinstance(stmt, ast.Expr) else None
        if isinstance(call, ast.Call) and (last_attr(call.func) or "") not in _REPORTING_CALLS:
            return True
    return False


# ---------------------------------------------------------------------------- dependence
_FITS = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict"})


def independent_of_trial(program: Program, objective: ast.AST) -> str | None:
    """The returned score's label when it is computed from fitted (scikit-learn style) models that
    no suggested value reaches, so every trial would score the same; None when it depends on the
    trial or when that cannot be told (torch training changes a model in place, out of sight, and
    a score traced to no estimator's construction proves nothing)."""
    if any(last_attr(c.func) in ("backward", "step") for c in program.calls):
        return None
    reads: list[ast.AST] = []  # names and attributes the score is computed from
    built: list[ast.Call] = []  # estimators constructed on the way
    fields = _field_stores(program)
    pending: list[ast.AST] = []  # values stored into fields the score reads (`self.model = SVC(...)`)
    followed: set = set()

    unsure: list[ast.AST] = []  # state the flow does not follow well: object fields, **kwargs

    def visit(node: ast.AST, _frame: Frame) -> str | None:
        if isinstance(node, ast.Call):
            name = last_attr(node.func) or ""
            if name.startswith("suggest_"):
                return "suggested"
            if name[:1].isupper() and not _HOLDERS.search(name):
                built.append(node)
            if any(k.arg is None for k in node.keywords):
                unsure.append(node)
        if isinstance(node, ast.Attribute) and root_name(node) == "self":
            unsure.append(node)
        if isinstance(node, ast.Attribute) and node.attr == "params" and program.is_trial(node.value):
            return "suggested"
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            reads.append(node)
        field = ("base", program.binding.get(id(node))) if isinstance(node, ast.Name) else _field(node)
        if field is not None and field not in followed and isinstance(getattr(node, "ctx", None), ast.Load):
            followed.add(field)  # `config["C"]`, `args.lr`, `self.model`: what is stored into the field anywhere
            pending.extend(fields.get(field, []))
        return None

    def walk_all(values: list[ast.AST]) -> bool:
        for value in values:
            if program.walk(value, Frame(program.unit(value)), visit):
                return True
        while pending:
            value = pending.pop()
            if program.walk(value, Frame(program.unit(value)), visit):
                return True
        return False

    values = program.returns(objective)
    if walk_all(values):
        return None
    seen: set[int] = set()
    fits = _fit_calls(program, reads)
    while fits:
        call = fits.pop()
        if id(call) in seen:
            continue
        seen.add(id(call))
        before = len(reads)
        if walk_all([*call.args, *(k.value for k in call.keywords)]):
            return None
        fits += _fit_calls(program, reads[before:])
    if not seen or not built or unsure:
        return None
    label = score(program, objective)
    return label.label if label is not None else ast.unparse(values[-1]) if values else "the score"


def _fit_calls(program: Program, reads: list[ast.AST]) -> list[ast.Call]:
    """`model.fit(X, y)` / `self.model.fit(X, y)` calls on what these reads read."""
    bindings = {program.binding.get(id(n)) for n in reads if isinstance(n, ast.Name)}
    attrs = {n.attr for n in reads if isinstance(n, ast.Attribute)}
    found = []
    for c in program.calls:
        if not (isinstance(c.func, ast.Attribute) and c.func.attr in _FITS):
            continue
        owner = c.func.value
        if (isinstance(owner, ast.Name) and program.binding.get(id(owner)) in bindings) or (
            isinstance(owner, ast.Attribute) and owner.attr in attrs
        ):
            found.append(c)
    return found


def _field(node: ast.AST) -> tuple[str, str] | None:
    if isinstance(node, ast.Attribute):
        return ("attr", node.attr)
    if isinstance(node, ast.Subscript) and string_key(node.slice) is not None:
        return ("key", string_key(node.slice))
    return None


def _field_stores(program: Program) -> dict[tuple, list[ast.AST]]:
    """Values assigned to `obj.attr` and `obj["key"]` targets, by field."""
    found: dict[tuple[str, str], list[ast.AST]] = {}
    for node in ast.walk(program.tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                field = _field(target)
                if field is not None:
                    found.setdefault(field, []).append(node.value)
                    if isinstance(target.value, ast.Name):  # `config["lr"] = v` changes what `config` holds
                        found.setdefault(("base", program.binding.get(id(target.value))), []).append(node.value)
    return found
