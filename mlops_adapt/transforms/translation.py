"""Statement machinery for translations: expand statements, inject helpers once, track uses.

A translation (one library's calls rewritten into another's, as translate-gitpython-dvc does)
is built from three parts of this module:

1. The runtime helpers, real code: put the functions the translated script calls in a module of
   the task folder (`runtime.py`), with ordinary imports, linted and unit-tested like any code.
   `HelperLibrary("mlops_adapt.tasks.<task>.runtime")` reads that module's source (it does not
   import it): for each function, the other helpers it calls and the imports it needs.
2. The rewriter: subclass `StatementExpander`. In its `leave_*` methods return the new
   expression, and call `self.use("helper")` for the Name of a helper (this records the use),
   `self.add_before(stmt)` / `self.add_after(stmt)` to put whole statements around the statement
   being rewritten, and `self.need_statement("a push")` first when the rewrite needs that (it
   raises Unsupported inside an `if` test or another compound statement's header).
3. Injection: after visiting, `library.source(rewriter.used)` is the source of the used helpers
   and of the helpers they call, in dependency order, and `library.imports(names)` the imports
   they need (add them with AddImportsVisitor). `helper_block(text)` parses that text (with any
   constants written above it) and `insert_after_imports(tree, block)` puts it after the
   module's docstring and imports. Check `defined_functions(tree)` against `library.names`
   first, so that a file translated before is skipped: the injection happens once.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import libcst as cst

from mlops_adapt.transforms.base import Unsupported

# A noqa marker at the end of a line: for the linter of the runtime module, not for users.
_NOQA = re.compile(r"\s+# noqa\b[^#\n]*$")


class NeededImport(NamedTuple):
    """`import module` (name is None) or `from module import name`."""

    module: str
    name: str | None = None


class _Helper(NamedTuple):
    source: str
    calls: tuple[str, ...]  # other helpers of the library, in the order the module defines them
    imports: frozenset[NeededImport]
    constants: frozenset[str]  # module-level names (not functions, not imports) the body reads


class HelperLibrary:
    """The top-level functions of a runtime module, read from its source to copy into scripts."""

    def __init__(self, module: str, summaries_only: bool = False) -> None:
        self.module = module
        # Copy only each docstring's summary line (PEP 257: the line before a blank line); the
        # details stay in the runtime module, for its maintainers, not in every user's script.
        self.summaries_only = summaries_only

    @functools.cached_property
    def helpers(self) -> dict[str, _Helper]:
        """Read on first use, so that importing a recipe stays cheap."""
        spec = importlib.util.find_spec(self.module)
        if spec is None or spec.origin is None:
            raise ImportError(f"no source for helper module {self.module}")
        return _read_helpers(Path(spec.origin).read_text(encoding="utf-8"), self.module, self.summaries_only)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.helpers)

    def closure(self, used: Iterable[str]) -> list[str]:
        """The used helpers and every helper they call, each after the helpers it calls.

        The order is stable, so the output is: the used helpers by name, each preceded by the
        helpers it calls (in the order the module defines those) that are not out yet."""
        needed: list[str] = []

        def visit(name: str) -> None:
            if name in needed:
                return
            for called in self.helpers[name].calls:
                visit(called)
            needed.append(name)

        for name in sorted(used):
            visit(name)
        return needed

    def source(self, names: Iterable[str]) -> str:
        """The source of these helpers (see closure), two blank lines apart."""
        return "\n\n".join(self.helpers[name].source for name in self.closure(names))

    def imports(self, names: Iterable[str]) -> set[NeededImport]:
        """The imports the helpers (and the helpers they call) need."""
        return {imp for name in self.closure(names) for imp in self.helpers[name].imports}

    def constants(self, names: Iterable[str]) -> set[str]:
        """The module-level constants the helpers (and the helpers they call) read."""
        return {const for name in self.closure(names) for const in self.helpers[name].constants}


def _read_helpers(text: str, module: str, summaries_only: bool = False) -> dict[str, _Helper]:
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    bound: dict[str, list[NeededImport]] = {}  # name an import binds -> the imports binding it
    constants: set[str] = set()
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    order = {f.name: i for i, f in enumerate(functions)}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    # Copied helpers say `np.x`; the script may bind `np` to something else.
                    alias_text = f"import {alias.name} as {alias.asname}"
                    raise ValueError(f"{module}: `{alias_text}` cannot be copied")
                bound.setdefault(alias.name.split(".")[0], []).append(NeededImport(alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                bound.setdefault(alias.asname or alias.name, []).append(
                    NeededImport(node.module or "", alias.name)
                )
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            constants.update(t.id for t in targets if isinstance(t, ast.Name))
    helpers: dict[str, _Helper] = {}
    for function in functions:
        start = min([function.lineno] + [d.lineno for d in function.decorator_list])
        text_lines = lines[start - 1 : function.end_lineno]
        if summaries_only:
            text_lines = _summary_only(function, text_lines, start)
        source = "".join(_NOQA.sub("", line.rstrip("\n")) + "\n" for line in text_lines)
        imports: set[NeededImport] = set()
        for chain in _dotted_uses(function):
            root = chain.split(".")[0]
            if root in bound:
                imports.add(_matching_import(chain, bound[root], f"{module}.{function.name}"))
        used = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
        calls = sorted((used & order.keys()) - {function.name}, key=order.__getitem__)
        reads = frozenset(used & constants)
        helpers[function.name] = _Helper(source, tuple(calls), frozenset(imports), reads)
    return helpers


def _summary_only(function: ast.FunctionDef, text_lines: list[str], start: int) -> list[str]:
    """The function's lines with its docstring cut to the summary line, when a blank line follows it."""
    first = function.body[0]
    is_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    if not is_doc or first.lineno == first.end_lineno:
        return text_lines
    doc = text_lines[first.lineno - start : first.end_lineno - start + 1]
    if len(doc) < 3 or doc[1].strip():
        return text_lines  # no PEP 257 summary line: keep the docstring whole
    quote = doc[0].lstrip()[:3]
    summary = doc[0].rstrip("\n") + quote + "\n"
    return text_lines[: first.lineno - start] + [summary] + text_lines[first.end_lineno - start + 1 :]


def _dotted_uses(function: ast.FunctionDef) -> set[str]:
    """Every `name` or `name.attr.attr` the function reads (the longest chains only)."""
    inner: set[int] = set()
    found: set[str] = set()
    for node in ast.walk(function):  # outer attributes come before the ones they contain
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            parts, value = [node.attr], node.value
            while isinstance(value, ast.Attribute):
                inner.add(id(value))
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                inner.add(id(value))
                found.add(".".join([value.id, *reversed(parts)]))
        elif isinstance(node, ast.Name) and id(node) not in inner:
            found.add(node.id)
    return found


def _matching_import(chain: str, candidates: list[NeededImport], where: str) -> NeededImport:
    """The import that makes `chain` resolvable: `import a.b` for `a.b.c`, the longest such."""
    matches = [
        imp for imp in candidates
        if imp.name is not None or chain == imp.module or chain.startswith(imp.module + ".")
    ]
    if not matches:
        raise ValueError(f"{where} uses {chain}, which no import of its module provides")
    found = max(matches, key=lambda imp: len(imp.module))
    if found.module.split(".")[0] == "mlops_adapt":
        raise ValueError(f"{where} uses {chain}: a copied helper cannot need mlops_adapt")
    return found


class StatementExpander(cst.CSTTransformer):
    """A transformer that can replace one statement by several, added before or after it.

    A subclass rewrites expressions in its leave_* methods as usual; while it is inside a simple
    statement it may add whole statements around that statement. `a; b` lines and one-line
    suites (`if x: a`) are handled: an expanded line becomes one line per statement, the first
    keeping the comments above the original line and the last original statement its trailing
    comment.
    """

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()
        # The call that is a whole expression statement (`repo.index.add(...)` alone on its line).
        self.statement_call: cst.Call | None = None
        self._before: list[cst.BaseSmallStatement] = []
        self._after: list[cst.BaseSmallStatement] = []
        self._pending: list[tuple[list, list]] = []
        self._small_depth = 0

    def use(self, name: str) -> cst.Name:
        """The Name of a helper, recorded as used so that the helper is injected."""
        self.used.add(name)
        return cst.Name(name)

    def need_statement(self, what: str) -> None:
        """Raise Unsupported unless the node being rewritten is inside a simple statement."""
        if self._small_depth == 0:
            raise Unsupported(
                f"{what} inside a condition or expression header cannot be translated safely"
            )

    def add_before(self, statement: cst.BaseSmallStatement) -> None:
        self._before.append(statement)

    def add_after(self, statement: cst.BaseSmallStatement) -> None:
        self._after.append(statement)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._pending = []

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._pending = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseSmallStatement):
            self._small_depth += 1
            is_call = isinstance(node, cst.Expr) and isinstance(node.value, cst.Call)
            self.statement_call = node.value if is_call else None  # type: ignore[attr-defined]
            self._before, self._after = [], []
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, cst.BaseSmallStatement):
            self._small_depth -= 1
            self._pending.append((self._before, self._after))
            self._before, self._after = [], []
        return result

    def _expanded(self, updated_body) -> list[cst.BaseSmallStatement]:
        out: list[cst.BaseSmallStatement] = []
        for stmt, (before, after) in zip(updated_body, self._pending):
            out.extend(before)
            out.append(stmt)
            out.extend(after)
        return out

    def leave_SimpleStatementLine(self, original_node, updated_node):
        body = self._expanded(updated_node.body)
        if len(body) == len(updated_node.body):
            return updated_node
        # The trailing comment stays with the (last) original statement, not with an added one.
        originals = {id(small) for small in updated_node.body}
        last_original = max(i for i, small in enumerate(body) if id(small) in originals)
        lines = []
        for i, small in enumerate(body):
            small = small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            line = cst.SimpleStatementLine([small])
            if i == 0:
                line = line.with_changes(leading_lines=updated_node.leading_lines)
            if i == last_original:
                line = line.with_changes(trailing_whitespace=updated_node.trailing_whitespace)
            lines.append(line)
        return cst.FlattenSentinel(lines)

    def leave_SimpleStatementSuite(self, original_node, updated_node):
        body = self._expanded(updated_node.body)
        if len(body) == len(updated_node.body):
            return updated_node
        space = cst.SimpleWhitespace(" ")
        fixed = [s.with_changes(semicolon=cst.Semicolon(whitespace_after=space)) for s in body[:-1]]
        fixed.append(body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT))
        return updated_node.with_changes(body=fixed)


def helper_block(text: str) -> list[cst.BaseStatement]:
    """The statements of a block of source, the comments at its top kept on the first one."""
    module = cst.parse_module(text)
    block = list(module.body)
    block[0] = block[0].with_changes(leading_lines=[*module.header, *block[0].leading_lines])
    return block


def insert_after_imports(tree: cst.Module, block: list[cst.BaseStatement]) -> cst.Module:
    """Put a block after the module's leading docstring and imports (and `try:` imports)."""
    body = list(tree.body)
    position = 0
    for i, stmt in enumerate(body):
        if _is_import_line(stmt):
            position = i + 1
        elif i == 0 and _is_docstring(stmt):
            position = 1
        elif isinstance(stmt, cst.Try) and all(_is_import_line(s) for s in stmt.body.body):
            position = i + 1
        else:
            break
    block = list(block)
    spacing = [cst.EmptyLine(), cst.EmptyLine()] if position else []
    block[0] = block[0].with_changes(leading_lines=[*spacing, *block[0].leading_lines])
    after = body[position:]
    if after:
        # Two blank lines below the block; the comments above the next statement stay on it.
        comments = [line for line in after[0].leading_lines if line.comment is not None]
        spacing = [cst.EmptyLine(), cst.EmptyLine()]
        after[0] = after[0].with_changes(leading_lines=[*spacing, *comments])
    return tree.with_changes(body=body[:position] + block + after)


def _is_import_line(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    )


def _is_docstring(stmt: cst.CSTNode) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


class _Renamer(cst.CSTTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.names = names

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.names.get(updated_node.value)
        return updated_node if new is None else updated_node.with_changes(value=new)


def renamed(node: cst.CSTNodeT, names: dict[str, str]) -> cst.CSTNodeT:
    """The node with every Name in `names` renamed: a helper copied under a free name."""
    return node.visit(_Renamer(names))  # type: ignore[return-value]


def defined_functions(tree: cst.Module) -> set[str]:
    """Names of the module's top-level functions (a translated file defines its helpers there)."""
    return {stmt.name.value for stmt in tree.body if isinstance(stmt, cst.FunctionDef)}


def all_names(tree: cst.Module) -> set[str]:
    """Every identifier the module mentions, to keep injected helpers from clashing with them."""
    found: set[str] = set()

    class _Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    tree.visit(_Names())
    return found
