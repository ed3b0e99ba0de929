"""Hyperparameter sites: module constants, argparse options, config dicts and classes, dataclasses, defaults."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.exprs import (
    all_statements,
    assigned_names,
    block_body,
    call_name,
    calls_in,
    code,
    is_literal,
    last_name,
    literal_value,
    nodes_of,
    string_value,
)

CONFIG_CLASS = re.compile(r"(Config|Conf|Params|Hparams|HParams|Settings|Hyper\w*)$")



def statement_targets(stmt) -> list[str]:
    """Names a module-level statement binds: its own targets and those of every statement inside it.

    One pass over the nested statements (each visited once), so deep nesting stays linear.
    """
    out = _own_targets(stmt)
    if isinstance(stmt, (cst.For, cst.While, cst.If, cst.With, cst.Try)):
        for inner in all_statements(stmt.body):
            out.extend(_own_targets(inner))
    return out


def _own_targets(stmt) -> list[str]:
    """Names bound by the statement itself: assignment targets, or a for loop's target."""
    out: list[str] = []
    if isinstance(stmt, cst.SimpleStatementLine):
        for small in stmt.body:
            if isinstance(small, cst.Assign):
                for t in small.targets:
                    out.extend(assigned_names(t.target))
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                out.extend(assigned_names(small.target))
    elif isinstance(stmt, cst.For):
        out.extend(assigned_names(stmt.target))  # type: ignore[arg-type]
    return out


def declared_globals(func: cst.FunctionDef) -> list[cst.Name]:
    out = []
    for stmt in all_statements(func.body):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Global):
                    out.extend(n.name for n in small.names)
    return out


def is_main_guard(stmt) -> bool:
    return isinstance(stmt, cst.If) and "__name__" in code(stmt.test) and "__main__" in code(stmt.test)


def is_declarative(small: cst.BaseSmallStatement) -> bool:
    """Imports, docstrings, constants: statements that do no work worth tracking."""
    if isinstance(small, (cst.Import, cst.ImportFrom, cst.Pass)):
        return True
    if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
        return is_literal(small.value)
    return False


def constant_assignment(stmt: cst.SimpleStatementLine) -> tuple[str, cst.BaseExpression] | None:
    if len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        return small.targets[0].target.value, small.value
    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
        return small.target.value, small.value
    return None


def is_hyperparam_name(name: str, value: cst.BaseExpression) -> bool:
    if name.startswith("__") or vocab.NOT_HYPERPARAM_NAME.search(name):
        return False
    text = string_value(value)
    if text is not None and (vocab.PATHLIKE_VALUE.search(text) or " " in text or not text):
        return False
    if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) > 8:
        return False
    return is_literal(value) and not (isinstance(value, cst.Name) and value.value == "None")


# Characters no setting's name has: `<pad>`, `[CLS]` are tokens of a vocabulary, not settings.
_TOKEN_KEY_CHARS = re.compile(r"[^\w\-. :/]")


def grown_in_loop(module: cst.Module, name: str) -> bool:
    """Whether a loop adds entries to the dict `name` (`vocab.setdefault(w, len(vocab))`,
    `vocab[w] = i`): a table built from data (a vocabulary, a label map), not settings."""
    for loop in nodes_of(module, (cst.For, cst.While)):
        for call in nodes_of(loop.body, cst.Call):
            func = call.func
            if (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name
                    and func.attr.value in ("setdefault", "update")):
                return True
        for assign in nodes_of(loop.body, cst.Assign):
            for target in assign.targets:
                sub = target.target
                if (isinstance(sub, cst.Subscript) and isinstance(sub.value, cst.Name) and sub.value.value == name
                        and not all(isinstance(e.slice, cst.Index) and is_literal(e.slice.value) for e in sub.slice)):
                    return True
    return False


def is_config_dict(value: cst.BaseExpression, name: str) -> bool:
    """A dict literal (or dict(...) call) of literal settings, named like a config."""
    if isinstance(value, cst.Dict):
        elements = [e for e in value.elements if isinstance(e, cst.DictElement)]
        if not elements or not all(string_value(e.key) for e in elements):
            return False
        if any(_TOKEN_KEY_CHARS.search(string_value(e.key) or "") for e in elements):
            return False  # {"<pad>": 0, "<unk>": 1}
        if all(string_value(e.key) in vocab.LOADER_PLUMBING for e in elements):
            return False  # cuda_kwargs = {"num_workers": 1, "pin_memory": True}
        if all(isinstance(e.value, (cst.List, cst.Tuple, cst.Set)) for e in elements):
            return False  # {"Eastish": ["zhi", "ang"], ...}: data, not settings
        literal = sum(is_literal(e.value) or isinstance(e.value, cst.Dict) for e in elements)
        return literal == len(elements) and not vocab.is_metric_name(name)
    if isinstance(value, cst.Call) and call_name(value) == "dict" and value.args:
        return all(a.keyword is not None and is_literal(a.value) for a in value.args)
    return False


def dict_keys(value: cst.BaseExpression) -> list[str]:
    if isinstance(value, cst.Dict):
        return [string_value(e.key) or "" for e in value.elements if isinstance(e, cst.DictElement)]
    if isinstance(value, cst.Call):
        return [a.keyword.value for a in value.args if a.keyword is not None]
    return []


def argparse_dest(call: cst.Call) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "dest":
            return string_value(arg.value)
    flags = [string_value(a.value) for a in call.args if a.keyword is None]
    flags = [f for f in flags if f]
    if not flags:
        return None
    long = [f for f in flags if f.startswith("--")]
    chosen = (long or flags)[0]
    return chosen.lstrip("-").replace("-", "_")


def overridable_default(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The literal default behind a command-line or environment override, if `value` is one.

    `int(sys.argv[1]) if len(sys.argv) > 1 else 40`, `float(os.environ.get("LR", 0.1))`,
    `os.getenv("EPOCHS", "5")`.
    """
    if isinstance(value, cst.IfExp):
        return next((v for v in (value.orelse, value.body) if is_literal(v)), None)
    if isinstance(value, cst.Call) and call_name(value) in ("int", "float", "str", "bool") and value.args:
        value = value.args[0].value
    if isinstance(value, cst.Call) and (call_name(value) or "").endswith(("environ.get", "getenv")):
        default = value.args[1].value if len(value.args) == 2 else None
        return default if default is not None and is_literal(default) else None
    return None


def literal_class_attrs(node: cst.ClassDef) -> list[str]:
    """Names of a plain settings class's literal attributes; [] when it has methods or other code."""
    attrs: list[str] = []
    for stmt in block_body(node.body):
        if not isinstance(stmt, cst.SimpleStatementLine):
            return []
        for small in stmt.body:
            if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
                continue  # docstring
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                target, value = small.targets[0].target, small.value
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
                target, value = small.target, small.value
            else:
                return []
            if is_literal(value) and not target.value.startswith("_"):
                attrs.append(target.value)
    return attrs



def first_constants(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Name -> value of the first one-target assignment of each name, anywhere in the module."""
    found: dict[str, cst.BaseExpression] = {}
    for stmt in all_statements(module.body):
        const = constant_assignment(stmt) if isinstance(stmt, cst.SimpleStatementLine) else None
        if const:
            found.setdefault(const[0], const[1])
    return found


def literal_sequence(expr: cst.BaseExpression, constants: dict[str, cst.BaseExpression]) -> bool:
    """A list/tuple literal of numbers or strings, or a name first bound to one (a sweep over values)."""
    if isinstance(expr, (cst.List, cst.Tuple)):
        return bool(expr.elements) and all(is_literal(e.value) for e in expr.elements)
    if isinstance(expr, cst.Name) and expr.value in constants:
        value = constants[expr.value]
        return isinstance(value, (cst.List, cst.Tuple)) and is_literal(value)
    return False


@dataclass
class ArgparseOption:
    """One add_argument call: its dest, default, type and choices."""

    dest: str
    default: object
    choices: tuple | None
    call: cst.Call


def argparse_option(node: cst.Call) -> ArgparseOption | None:
    """The option an `add_argument(...)` call declares (a plain store action), else None."""
    if last_name(node) != "add_argument":
        return None
    flags = [string_value(a.value) for a in node.args if a.keyword is None]
    flags = [f for f in flags if f]
    keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
    dest = string_value(keywords["dest"]) if "dest" in keywords else None
    if dest is None and flags:
        long = [f for f in flags if f.startswith("--")]
        dest = (long or flags)[0].lstrip("-").replace("-", "_")
    if not dest:
        return None
    action = string_value(keywords["action"]) if "action" in keywords else None
    if action and action != "store":
        return None
    default = literal_value(keywords.get("default")) if "default" in keywords else None
    type_name = code(keywords["type"]) if "type" in keywords else None
    if isinstance(default, str) and type_name in ("int", "float"):
        try:
            default = int(default) if type_name == "int" else float(default)
        except ValueError:
            return None
    if type_name == "float" and isinstance(default, int) and not isinstance(default, bool):
        default = float(default)
    choices = literal_value(keywords["choices"]) if "choices" in keywords else None
    choices = tuple(choices) if isinstance(choices, (list, tuple)) else None
    return ArgparseOption(dest, default, choices, node)


def argparse_options(module: cst.Module) -> dict[str, ArgparseOption]:
    """Every add_argument(...) in a module, by dest (the scan records the same for its module)."""
    found: dict[str, ArgparseOption] = {}
    for call in calls_in(module, lambdas=True):
        option = argparse_option(call)
        if option is not None:
            found[option.dest] = option
    return found


def dataclass_defaults(node: cst.ClassDef) -> tuple[dict[str, object], bool]:
    """(field -> literal default, or NOT_LITERAL; frozen) of a dataclass definition."""
    decorators = [d.decorator for d in node.decorators]
    frozen = any(
        isinstance(d, cst.Call) and any(
            a.keyword is not None and a.keyword.value == "frozen" and code(a.value) == "True" for a in d.args
        )
        for d in decorators
    )
    defaults: dict[str, object] = {}
    for stmt in block_body(node.body):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    defaults[small.target.value] = literal_value(small.value)
    return defaults, frozen
