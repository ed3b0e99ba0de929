"""V2 scope: original statements and comments survive, and added code only touches the target."""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from functools import lru_cache

import libcst as cst

from mlops_adapt.analysis.cache import parsed
from mlops_adapt.analysis.exprs import code, imports_of, iter_nodes, names_in
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
            reasons.extend(_foreign_additions(before, after, rules, library, aliases))
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


def _foreign_additions(
    before: list[str], after: list[str], rules: TaskRules, library: str, aliases: set[str]
) -> list[str]:
    """Added statements that do not touch the target library (unrelated edits)."""
    extra = Counter(after) - Counter(before)
    allowed = {library, *rules.HELPER_NAMES, *aliases}
    reasons = []
    for stmt in extra:
        if re.match(rf"^(import|from)\s+({'|'.join(map(re.escape, allowed))})\b", stmt):
            continue
        if stmt in ("try:",) or rules.allowed_addition(stmt):
            continue
        try:
            node = cst.parse_module(stmt if not stmt.endswith(":") else stmt + " pass")
        except cst.ParserSyntaxError:
            reasons.append(f"added statement is not valid on its own: `{stmt}`")
            continue
        if not names_in(node) & allowed:
            reasons.append(f"unrelated edit: added `{stmt}` does not use {library}")
    return reasons
