"""V2 scope: original statements and comments survive in meaning, and the edit adds no new capability."""

from __future__ import annotations

import ast
import inspect
import io
import re
import tokenize
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import libcst as cst

from mlops_adapt.analysis.cache import parsed
from mlops_adapt.analysis.exprs import (
    assigned_names,
    calls_in,
    code,
    imports_of,
    iter_nodes,
    last_name,
    names_in,
)
from mlops_adapt.verify.capabilities import added_capabilities
from mlops_adapt.verify.rules.base import TaskRules


def statement_prints(module: cst.Module) -> list[str]:
    """Fingerprints of every statement, in source order: simple statements and compound headers."""
    out: list[str] = []
    for node in iter_nodes(module, skip=_EXPRESSIONS):
        kind = type(node)
        if kind is cst.SimpleStatementLine or kind is cst.SimpleStatementSuite:
            out.extend(_fingerprint(small) for small in node.body)
        elif kind is cst.For:
            out.append(_normal(f"for {code(node.target)} in {code(node.iter)}:"))
        elif kind is cst.While:
            out.append(_normal(f"while {code(node.test)}:"))
        elif kind is cst.If:
            out.append(_normal(f"if {code(node.test)}:"))
        elif kind is cst.FunctionDef:
            out.append(_normal(f"def {node.name.value}({code(node.params)}):"))
        elif kind is cst.ClassDef:
            out.append(_normal(f"class {node.name.value}:"))
        elif kind is cst.With:
            out.append(_normal("with " + ", ".join(code(i) for i in node.items) + ":"))
        elif kind is cst.Try:
            out.append("try:")
    return out


# Statements never hide inside these, so the walk does not descend into them.
_EXPRESSIONS = (cst.BaseExpression, cst.BaseSmallStatement)


@lru_cache(maxsize=64)
def _original_prints(source: str) -> list[str]:
    """statement_prints of an original text, cached: batch and LSP runs verify it many times."""
    return statement_prints(parsed(source))


def _fingerprint(small: cst.BaseSmallStatement) -> str:
    """A simple statement's print; a bare string (a docstring) by its text, so requoting or
    re-indenting a docstring is not a change."""
    if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
        value = small.value.evaluated_value
        if isinstance(value, str):
            return repr(inspect.cleandoc(value))
    return _normal(code(small))


def _normal(text: str) -> str:
    """Whitespace-insensitive form, so re-indentation is not a change."""
    text = re.sub(r"#[^\n]*", "", text) if "#" in text and not re.search(r"[\"'].*#", text) else text
    return re.sub(r"\s+", " ", text).strip().rstrip(",")


def comments(source: str) -> Counter:
    """Every comment's text, counted."""
    found: Counter = Counter()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.string.strip()] += 1
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


def _is_subsequence(needle: list[str], haystack: list[str]) -> tuple[bool, str | None]:
    it = iter(haystack)
    for item in needle:
        if not any(item == other for other in it):
            return False, item
    return True, None


@dataclass(frozen=True)
class ScopeVerdict:
    """V2's findings: what is certainly out of scope (reasons) and what only execution can judge (warnings)."""

    reasons: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def check_scope(
    original: cst.Module, candidate: cst.Module, original_src: str, candidate_src: str,
    rules: TaskRules, library: str,
) -> ScopeVerdict:
    """Scope by capability and by meaning: every reason found, not only the first.

    Rejected (certainly wrong): new process, network, file, environment or dynamic-code access
    anywhere in the edit; an original statement deleted or changed in meaning; original values
    rebound by added code; original statements put under a new loop or condition; lost comments.
    Allowed: additions that keep the original's meaning (an import list extended, a dict key or
    dataclass field added, a new parameter with a default and calls passing it, statements
    wrapped in a run context or moved under a function or main guard). A changed order is a
    warning: only the executed comparison (V5) can tell whether it matters.
    """
    reasons: list[str] = [
        use.reason()
        for use in added_capabilities(original_src, candidate_src, library, rules.HELPER_NAMES)
        if not rules.allowed_capability(use)
    ]
    warnings: list[str] = []
    before = _original_prints(original_src) if original is parsed(original_src) else statement_prints(original)
    after = statement_prints(candidate)
    extended = extensions(original, candidate, before, after)
    missing = [stmt for stmt in (Counter(before) - Counter(after)).elements() if stmt not in extended]
    if rules.SCOPE == "translate":
        missing = [stmt for stmt in missing if not rules.removable(stmt)]
    elif rules.SCOPE == "restructure":
        missing = [stmt for stmt in missing if not rules.allowed_change(stmt, after)]
    added = [stmt for stmt in (Counter(after) - Counter(before)).elements() if stmt not in extended.values()]
    rewrites: set[str] = set()
    for stmt in missing:
        counterpart = _counterpart(stmt, added, rewrites)
        if counterpart is not None and _only_literals_differ(stmt, counterpart):
            rewrites.add(counterpart)
            reasons.append(f"the edit changes a value of the original: `{stmt}` -> `{counterpart}`")
        elif counterpart is not None:
            rewrites.add(counterpart)
            warnings.append(f"original statement rewritten: `{stmt}` -> `{counterpart}`; V5 must confirm the behaviour")
        else:
            found = _deleted(stmt, candidate)
            (reasons if found.certain else warnings).append(found.message)
    reasons.extend(_loop_moves(original, candidate))
    if rules.SCOPE == "additive":
        mapped = [extended.get(stmt, stmt) for stmt in before]
        ok, moved = _is_subsequence([m for m in mapped if m in after], after)
        if not ok:
            warnings.append(f"original statements run in another order (first: `{moved}`); V5 judges the behaviour")
        aliases = library_aliases(candidate, library)
        aliases |= library_objects(original, candidate, {library, *rules.HELPER_NAMES, *aliases})
        reasons.extend(
            _unsafe_additions(
                before, after, rules, library, aliases, candidate, original,
                set(extended.values()) | rewrites,
            )
        )
    lost = comments(original_src) - comments(candidate_src)
    for comment in lost:
        reasons.append(f"comment removed: `{comment}`")
    return ScopeVerdict(tuple(reasons), tuple(warnings))


@dataclass(frozen=True)
class _Finding:
    message: str
    certain: bool


def _shape(stmt: str) -> str | None:
    """What a statement is about, to pair an original with its rewrite: the call, the target, the import."""
    node = _parse_one(stmt)
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = ast.unparse(node.value.func)
        if func == "print":  # an output line is the same line only with the same words
            return "print " + "|".join(
                str(n.value) for arg in node.value.args for n in ast.walk(arg)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            )
        return "call " + func
    if isinstance(node, ast.Assign):
        return "assign " + " ".join(ast.unparse(t) for t in node.targets)
    if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        return "assign " + ast.unparse(node.target)
    if isinstance(node, ast.ImportFrom):
        return f"from {node.module}"
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return f"def {node.name}"
    if isinstance(node, ast.Return):
        return "return"
    return None


def _only_literals_differ(old_text: str, new_text: str) -> bool:
    """Same code with other constants (`N = 25` -> `N = 100`): a changed setting, not a rewrite."""
    old, new = _parse_one(old_text), _parse_one(new_text)
    if old is None or new is None:
        return False

    def masked(node: ast.AST) -> str:
        copy = ast.parse(ast.unparse(node))
        for sub in ast.walk(copy):
            if isinstance(sub, ast.Constant):
                sub.value = "<const>"
        return ast.dump(copy)

    if ast.dump(old) != ast.dump(new) and masked(old) == masked(new):
        return True
    # The same call with an argument now pinned to a constant (`max_iter=cfg.max_iter` -> `max_iter=5`).
    old_call = getattr(old, "value", None)
    new_call = getattr(new, "value", None)
    if isinstance(old_call, ast.Call) and isinstance(new_call, ast.Call) and ast.dump(old_call.func) == ast.dump(new_call.func):
        olds = {k.arg: k.value for k in old_call.keywords if k.arg}
        for keyword in new_call.keywords:
            before = olds.get(keyword.arg)
            if before is not None and isinstance(keyword.value, ast.Constant) and ast.dump(before) != ast.dump(keyword.value):
                return True
        for before, after in zip(old_call.args, new_call.args):
            if isinstance(after, ast.Constant) and ast.dump(before) != ast.dump(after):
                return True
    return False


def _counterpart(stmt: str, added: list[str], taken: set[str]) -> str | None:
    """An added statement that rewrites `stmt` (same call, same target, same import source), if any."""
    shape = _shape(stmt)
    if shape is None:
        return None
    for other in added:
        if other not in taken and _shape(other) == shape:
            return other
    return None


def _deleted(stmt: str, candidate: cst.Module) -> _Finding:
    """How bad the deletion of an original statement is, in words that name what is lost."""
    node = _parse_one(stmt)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        bound = {(a.asname or a.name).split(".")[0] for a in node.names}
        still = sorted(bound & names_in(candidate) - _imported_names(candidate))
        if still:
            return _Finding(f"the edit removes `{stmt}`, but `{', '.join(still)}` is still used", True)
        return _Finding(f"import removed, no longer used: `{stmt}`", False)
    call = node.value if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) else None
    if call is not None and ast.unparse(call.func) in ("print", "logging.info", "logger.info", "log.info"):
        return _Finding(f"the edit drops output: `{stmt}` is no longer printed", True)
    if _trains(node):
        return _Finding(f"the edit drops training: `{stmt}`", True)
    return _Finding(f"original statement changed or deleted: `{stmt}`", True)


def _trains(node: ast.AST | None) -> bool:
    """Does a statement train something (`fit`, `partial_fit`, `train(...)`, `backward`, `step`)?"""
    from mlops_adapt.vocabulary import TRAIN_METHODS

    for sub in ast.walk(node) if node is not None else ():
        if isinstance(sub, ast.Call):
            name = sub.func.attr if isinstance(sub.func, ast.Attribute) else getattr(sub.func, "id", "")
            # `train_test_split` splits data: deleting it loses data, not training.
            trains = name.startswith("train") and "split" not in name
            if name in TRAIN_METHODS or name in ("backward", "step") or trains:
                return True
    return False


def _imported_names(module: cst.Module) -> set[str]:
    found: set[str] = set()
    for node in imports_of(module):
        if isinstance(node.names, cst.ImportStar):
            continue
        for alias in node.names:
            if alias.asname is not None:
                found.add(code(alias.asname.name))
            else:
                found.add(code(alias.name).split(".")[0])
    return found


def _loop_contexts(module: cst.Module) -> dict[str, list[tuple[str, ...]]]:
    """Each simple statement's print -> the loop headers around it, per occurrence, in order."""
    found: dict[str, list[tuple[str, ...]]] = {}

    def walk(node: cst.CSTNode, loops: tuple[str, ...]) -> None:
        for child in node.children:
            if isinstance(child, cst.BaseExpression):
                continue
            if isinstance(child, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                for small in child.body:
                    found.setdefault(_normal(code(small)), []).append(loops)
            elif isinstance(child, (cst.FunctionDef, cst.ClassDef)):
                walk(child, ())  # a function runs wherever it is called
            elif isinstance(child, (cst.For, cst.While)):
                header = statement_prints(cst.Module(body=[child]))[0]
                walk(child.body, (*loops, header))
                if child.orelse is not None:
                    walk(child.orelse, loops)
            else:
                walk(child, loops)

    walk(module, ())
    return found


def _loop_moves(original: cst.Module, candidate: cst.Module) -> list[str]:
    """Original statements now inside fewer or more loops: they run a different number of times."""
    before, after = _loop_contexts(original), _loop_contexts(candidate)
    problems = []
    for stmt, contexts in before.items():
        if stmt not in after or len(after[stmt]) != len(contexts):
            continue
        for old, new in zip(contexts, after[stmt]):
            # A rewritten loop header is V5's to judge; a changed loop depth is certain.
            if len(old) != len(new):
                what = "training" if _trains(_parse_one(stmt)) else "statement"
                where = "out of" if len(new) < len(old) else "into" if len(new) > len(old) else "to another"
                problems.append(
                    f"the edit moves {what} `{stmt}` {where} loop `{(old or new)[-1]}`: "
                    "it runs a different number of times"
                )
                break
    return problems


def extensions(
    original: cst.Module, candidate: cst.Module, before: list[str], after: list[str]
) -> dict[str, str]:
    """Original statement print -> the candidate statement that extends it without changing its meaning.

    Extensions: `from m import a` -> `from m import a, b`; `cfg = {"a": 1}` -> `cfg = {"a": 1, "b": 2}`;
    `def f(x):` -> `def f(x, run=None):`; `f(x)` -> `f(x, run=run)` where `run` is a parameter the
    candidate added to the script's own `f` with a default.
    """
    missing = list((Counter(before) - Counter(after)).elements())
    added = list((Counter(after) - Counter(before)).elements())
    if not missing or not added:
        return {}
    new_params = _added_parameters(original, candidate)
    found: dict[str, str] = {}
    for stmt in missing:
        for other in added:
            if other in found.values():
                continue
            if _extends(stmt, other, new_params):
                found[stmt] = other
                break
    return found


def _parse_one(text: str) -> ast.stmt | None:
    try:
        body = ast.parse(text + (" pass" if text.endswith(":") else "")).body
    except SyntaxError:
        return None
    return body[0] if len(body) == 1 else None


def _extends(old_text: str, new_text: str, new_params: dict[str, set[str]]) -> bool:
    """Does `new_text` say everything `old_text` says, plus only meaning-preserving additions?"""
    old, new = _parse_one(old_text), _parse_one(new_text)
    if old is None or new is None or type(old) is not type(new):
        return False
    if isinstance(old, ast.ImportFrom):
        return (
            old.module == new.module and old.level == new.level
            and {(a.name, a.asname) for a in old.names} <= {(a.name, a.asname) for a in new.names}
        )
    if isinstance(old, ast.Import):
        return {(a.name, a.asname) for a in old.names} <= {(a.name, a.asname) for a in new.names}
    if isinstance(old, ast.FunctionDef):
        return old.name == new.name and _params_extended(old.args, new.args)
    return _same_but_extended(old, new, new_params)


def _params_extended(old: ast.arguments, new: ast.arguments) -> bool:
    """The new signature keeps every old parameter in place and adds only ones with defaults."""
    old_pos = [a.arg for a in old.posonlyargs + old.args]
    new_pos = [a.arg for a in new.posonlyargs + new.args]
    if new_pos[: len(old_pos)] != old_pos or len(new.defaults) - len(old.defaults) != len(new_pos) - len(old_pos):
        return False
    if [ast.dump(d) for d in new.defaults[len(new.defaults) - len(old.defaults):]] != [ast.dump(d) for d in old.defaults]:
        return False
    old_kw = {a.arg for a in old.kwonlyargs}
    new_kw = {a.arg: d for a, d in zip(new.kwonlyargs, new.kw_defaults)}
    return old_kw <= set(new_kw) and all(new_kw[k] is not None for k in set(new_kw) - old_kw) and (
        (old.vararg is None) == (new.vararg is None) and (old.kwarg is None) == (new.kwarg is None)
    )


def _same_but_extended(old: ast.AST, new: ast.AST, new_params: dict[str, set[str]]) -> bool:
    """Equal trees, except dicts with added keys and calls to the script's functions with added new parameters."""
    if type(old) is not type(new):
        return False
    if isinstance(old, ast.Dict):
        old_items = {(ast.dump(k) if k else "**", ast.dump(v)) for k, v in zip(old.keys, old.values)}
        new_items = {(ast.dump(k) if k else "**", ast.dump(v)) for k, v in zip(new.keys, new.values)}
        return old_items <= new_items
    if isinstance(old, ast.Call):
        callee = old.func.id if isinstance(old.func, ast.Name) else None
        old_kw = {k.arg for k in old.keywords}
        extra = [k for k in new.keywords if k.arg not in old_kw]
        if extra and not (callee and all(k.arg in new_params.get(callee, set()) for k in extra)):
            return False
        kept = [k for k in new.keywords if k.arg in old_kw]
        return (
            _same_but_extended(old.func, new.func, new_params)
            and len(old.args) == len(new.args)
            and all(_same_but_extended(a, b, new_params) for a, b in zip(old.args, new.args))
            and len(kept) == len(old.keywords)
            and all(
                a.arg == b.arg and _same_but_extended(a.value, b.value, new_params)
                for a, b in zip(old.keywords, kept)
            )
        )
    for field, value in ast.iter_fields(old):
        if field in ("ctx", "type_comment", "lineno", "col_offset", "end_lineno", "end_col_offset"):
            continue
        other = getattr(new, field, None)
        if isinstance(value, ast.AST):
            if not isinstance(other, ast.AST) or not _same_but_extended(value, other, new_params):
                return False
        elif isinstance(value, list):
            if not isinstance(other, list) or len(value) != len(other):
                return False
            for x, y in zip(value, other):
                if isinstance(x, ast.AST):
                    if not isinstance(y, ast.AST) or not _same_but_extended(x, y, new_params):
                        return False
                elif x != y:
                    return False
        elif value != other:
            return False
    return True


def _added_parameters(original: cst.Module, candidate: cst.Module) -> dict[str, set[str]]:
    """The script's own functions (and classes, by __init__) -> parameters the candidate added with defaults."""

    def signatures(module: cst.Module) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for node in iter_nodes(module, skip=_EXPRESSIONS):
            if isinstance(node, cst.FunctionDef):
                params = {p.name.value for p in (*node.params.params, *node.params.kwonly_params)}
                found[node.name.value] = params
            elif isinstance(node, cst.ClassDef):
                for stmt in node.body.body if isinstance(node.body, cst.IndentedBlock) else []:
                    if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__init__":
                        found[node.name.value] = {p.name.value for p in (*stmt.params.params, *stmt.params.kwonly_params)}
        return found

    old, new = signatures(original), signatures(candidate)
    return {name: new[name] - params for name, params in old.items() if name in new and new[name] - params}


def library_aliases(module: cst.Module, library: str) -> set[str]:
    """Local names bound to the library or its members by imports (`from torch.nn.utils import prune`)."""
    bound: set[str] = set()
    for node in imports_of(module):
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = code(alias.name)
                if full.split(".")[0] == library:
                    bound.add(code(alias.asname.name) if alias.asname else full.split(".")[0])
        else:
            base = code(node.module) if node.module else ""
            if base.split(".")[0] == library and not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    bound.add(code(alias.asname.name) if alias.asname else code(alias.name))
    return bound


def library_objects(original: cst.Module, candidate: cst.Module, allowed: set[str]) -> set[str]:
    """New names the candidate binds to library objects: `run = wandb.init(...)`, `dvc_repo = DvcRepo(".")`.

    Only names the original never uses count, so rebinding an original variable (`model = ...`) does
    not turn every later use of it into library code. `cfg = run.config` chains through.
    """
    taken = names_in(original)
    bindings: list[tuple[list[str], cst.BaseExpression]] = []
    for node in iter_nodes(candidate):
        if isinstance(node, cst.Assign):
            names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
            bindings.append((names, node.value))
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name) and node.value is not None:
            bindings.append(([node.target.value], node.value))
        elif isinstance(node, cst.WithItem) and node.asname is not None and isinstance(node.asname.name, cst.Name):
            bindings.append(([node.asname.name.value], node.item))
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        known = allowed | found
        for names, value in bindings:
            head = _head_name(value)
            if head is None or head not in known:
                continue
            for name in names:
                if name not in taken and name not in found:
                    found.add(name)
                    changed = True
    return found


def _head_name(expr: cst.BaseExpression) -> str | None:
    """The first name of `a.b(...).c` style expressions (what the value is taken from)."""
    while True:
        if isinstance(expr, cst.Call):
            expr = expr.func
        elif isinstance(expr, (cst.Attribute, cst.Subscript)):
            expr = expr.value
        elif isinstance(expr, cst.Name):
            return expr.value
        else:
            return None


# Calls an added loop may make to get what it iterates over (or an added `if` to test): they
# only read their arguments. Iterating anything else could consume or change original state.
_PURE_CALLS = frozenset({
    "enumerate", "zip", "range", "len", "sorted", "reversed", "list", "tuple", "dict", "set",
    "items", "keys", "values", "tolist", "float", "int", "str", "round", "min", "max", "abs", "sum",
    "isinstance", "hasattr", "getattr", "bool", "any", "all",
})


def _library_blocks(candidate: cst.Module, uses_library, taken: set[str]) -> tuple[set[str], set[str]]:
    """Headers of `for`/`if`/`while`/`def` blocks that only hold library code, and of those that do not.

    `for i, s in enumerate(scores): wandb.log(...)` adds tracking only: it wraps no original statement
    (those do not use the library) and its loop or test reads values without calling anything but
    pure built-ins or the library. A new helper `def log_model(m): mlflow...` is the same, as long as
    it does not take the name of something in the original. Returns (library-only, others).
    """
    ok: set[str] = set()
    bad: set[str] = set()
    for node in iter_nodes(candidate, skip=_EXPRESSIONS):
        if not isinstance(node, (cst.For, cst.If, cst.While, cst.FunctionDef)):
            continue
        # The header, then everything inside: body, `else`/`elif` branches, nested blocks.
        header, *inner = statement_prints(cst.Module(body=[node]))
        heads = [
            getattr(sub, "iter", None) or getattr(sub, "test", None)
            for sub in iter_nodes(node, skip=_EXPRESSIONS)
            if isinstance(sub, (cst.For, cst.If, cst.While))
        ]
        if isinstance(node, cst.FunctionDef):
            heads += [p.default for p in node.params.params if p.default is not None]
        pure = all(
            (last_name(call) or "") in _PURE_CALLS or uses_library(code(call.func))
            for head in heads
            for call in calls_in(head)
        )
        new_name = not isinstance(node, cst.FunctionDef) or node.name.value not in taken
        if pure and new_name and inner and all(uses_library(stmt) for stmt in inner):
            ok.add(header)
        else:
            bad.add(header)
    return ok - bad, bad


def _unsafe_additions(
    before: list[str], after: list[str], rules: TaskRules, library: str, aliases: set[str],
    candidate: cst.Module, original: cst.Module, extensions: set[str],
) -> list[str]:
    """Added statements that change what the original computes.

    Pure additions are fine whatever they use: a `params = {...}` dict, `asdict(cfg)`, a helper
    function. What is not: rebinding or updating a value of the original script, and a new loop
    or condition around code that is not only tracking (it would repeat original statements or
    make them conditional). Capabilities are judged separately (added_capabilities).
    """
    extra = Counter(after) - Counter(before)
    allowed = {library, *rules.HELPER_NAMES, *aliases}
    import_re = re.compile(rf"^(import|from)\s+({'|'.join(map(re.escape, allowed))})\b")
    taken = _assigned_names(original)

    def uses_library(stmt: str) -> bool:
        if import_re.match(stmt) or rules.allowed_addition(stmt):
            return True
        try:
            node = cst.parse_module(stmt if not stmt.endswith(":") else stmt + " pass")
        except cst.ParserSyntaxError:
            try:
                node = cst.parse_expression(stmt)
            except cst.ParserSyntaxError:
                return False
        return bool(names_in(node) & allowed)

    blocks: tuple[set[str], set[str]] | None = None
    original_statements = set(before)
    reasons = [
        f"added `{stmt}` changes the control flow of the original code (in {where})"
        for where, stmt in sorted(_control_flow(candidate, original))
    ]
    for stmt in extra:
        if stmt in extensions or stmt.startswith(("import ", "from ")) or stmt == "try:":
            continue
        if rules.allowed_addition(stmt):
            continue
        if stmt.startswith(("for ", "if ", "while ")):
            if blocks is None:
                blocks = _library_blocks(candidate, uses_library, names_in(original))
            library_only, others = blocks
            if stmt in others and stmt not in library_only:
                reasons.append(
                    f"unrelated edit: added `{stmt}` puts code that is not only {library} tracking "
                    "(original statements or new logic) under a new loop or condition"
                )
            continue
        node = _parse_one(stmt)
        rebound = sorted(_rebinds(node) & taken) if node is not None else []
        if rebound:
            reasons.append(
                f"added `{stmt}` changes `{', '.join(rebound)}`, a value of the original script"
            )
        elif stmt in original_statements and not stmt.startswith(("print(", "def ", "class ")):
            reasons.append(f"unrelated edit: added `{stmt}` repeats an original statement, so it runs again")
    return reasons


_CONTROL = (cst.Break, cst.Continue, cst.Return, cst.Raise, cst.Del, cst.Global, cst.Nonlocal)


def _control_flow(candidate: cst.Module, original: cst.Module) -> list[tuple[str, str]]:
    """Control-flow statements the candidate adds to code of the original (not to its own new functions)."""

    def collect(module: cst.Module) -> tuple[Counter, set[str]]:
        found: Counter = Counter()
        functions: set[str] = set()

        def walk(node: cst.CSTNode, where: str) -> None:
            for child in node.children:
                if isinstance(child, cst.BaseExpression):
                    continue
                if isinstance(child, (cst.FunctionDef, cst.ClassDef)):
                    functions.add(child.name.value)
                    walk(child, child.name.value)
                elif isinstance(child, _CONTROL):
                    found[(where, _normal(code(child)))] += 1
                else:
                    walk(child, where)

        walk(module, "module level")
        return found, functions

    before, old_functions = collect(original)
    after, _ = collect(candidate)
    return [
        key for key in (after - before)
        if key[0] == "module level" or key[0] in old_functions
    ]


def _assigned_names(module: cst.Module) -> set[str]:
    """Names the original binds by assignment (module level or in functions)."""
    found: set[str] = set()
    for node in iter_nodes(module, skip=(cst.BaseExpression,)):
        if isinstance(node, cst.Assign):
            for target in node.targets:
                found |= set(assigned_names(target.target))
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
            found |= set(assigned_names(node.target))
    return found


def _rebinds(node: ast.stmt) -> set[str]:
    """Plain names an added simple statement assigns or updates."""
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and getattr(node, "value", None) is not None:
        targets = [node.target]
    names: set[str] = set()
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
    return names
