"""V2 scope: original statements and comments survive, and added code only touches the target."""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from functools import lru_cache

import libcst as cst

from mlops_adapt.analysis.cache import parsed
from mlops_adapt.analysis.exprs import calls_in, code, imports_of, iter_nodes, last_name, names_in
from mlops_adapt.verify.rules.base import TaskRules


def statement_prints(module: cst.Module) -> list[str]:
    """Fingerprints of every statement, in source order: simple statements and compound headers."""
    out: list[str] = []
    for node in iter_nodes(module, skip=_EXPRESSIONS):
        kind = type(node)
        if kind is cst.SimpleStatementLine or kind is cst.SimpleStatementSuite:
            out.extend(_normal(code(small)) for small in node.body)
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


def check_scope(
    original: cst.Module, candidate: cst.Module, original_src: str, candidate_src: str,
    rules: TaskRules, library: str,
) -> list[str]:
    """Reasons the candidate goes out of scope (empty when it stays in scope)."""
    reasons: list[str] = []
    before = _original_prints(original_src) if original is parsed(original_src) else statement_prints(original)
    after = statement_prints(candidate)
    if rules.SCOPE == "additive":
        ok, missing = _is_subsequence(before, after)
        if not ok:
            still_there = Counter(after)[missing] >= Counter(before)[missing]
            what = "moved or reordered" if still_there else "changed or deleted"
            reasons.append(f"original statement {what}: `{missing}`")
        else:
            aliases = library_aliases(candidate, library)
            aliases |= library_objects(original, candidate, {library, *rules.HELPER_NAMES, *aliases})
            reasons.extend(_foreign_additions(before, after, rules, library, aliases, candidate, original))
    else:
        have = Counter(after)
        for stmt, count in Counter(before).items():
            if have[stmt] >= count:
                continue
            if rules.SCOPE == "translate" and rules.removable(stmt):
                continue
            if rules.SCOPE == "restructure" and rules.allowed_change(stmt, after):
                continue
            reasons.append(f"original statement changed or deleted: `{stmt}`")
    lost = comments(original_src) - comments(candidate_src)
    for comment in lost:
        reasons.append(f"comment removed: `{comment}`")
    return reasons


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


def _foreign_additions(
    before: list[str], after: list[str], rules: TaskRules, library: str, aliases: set[str],
    candidate: cst.Module | None = None, original: cst.Module | None = None,
) -> list[str]:
    """Added statements that do not touch the target library (unrelated edits).

    An added loop or condition must hold library code only: around original statements it would
    repeat them or make them conditional, whatever its header uses.
    """
    extra = Counter(after) - Counter(before)
    allowed = {library, *rules.HELPER_NAMES, *aliases}
    import_re = re.compile(rf"^(import|from)\s+({'|'.join(map(re.escape, allowed))})\b")

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
    reasons = []
    for stmt in extra:
        if import_re.match(stmt):
            continue
        if stmt in ("try:",) or rules.allowed_addition(stmt):
            continue
        if stmt.startswith(("for ", "if ", "while ", "def ")) and candidate is not None:
            if blocks is None:
                taken = names_in(original) if original is not None else set()
                blocks = _library_blocks(candidate, uses_library, taken)
            library_only, others = blocks
            if stmt in library_only:
                continue
            if stmt in others and not stmt.startswith("def ") and uses_library(stmt):
                reasons.append(
                    f"unrelated edit: added `{stmt}` puts code that does not use {library} "
                    "(original statements or new logic) under a new loop or condition"
                )
                continue
        try:
            node = cst.parse_module(stmt if not stmt.endswith(":") else stmt + " pass")
        except cst.ParserSyntaxError:
            reasons.append(f"added statement is not valid on its own: `{stmt}`")
            continue
        if not names_in(node) & allowed:
            reasons.append(f"unrelated edit: added `{stmt}` does not use {library}")
    return reasons
