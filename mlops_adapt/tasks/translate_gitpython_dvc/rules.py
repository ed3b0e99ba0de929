"""Rules for translate-gitpython-dvc: only GitPython data operations may go, and DVC must take them over."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis import gitpython as gp
from mlops_adapt.analysis.exprs import (
    calls_in,
    code,
    dotted,
    iter_nodes,
    last_name,
    nodes_of,
    string_value,
)
from mlops_adapt.analysis.model import Facts
from mlops_adapt.options import AdaptOptions
from mlops_adapt.tasks.translate_gitpython_dvc import SPEC
from mlops_adapt.verify.rules.base import Recommendation, TaskRules

# Statements the translation may replace: they add, read, check, diff, check out or push files.
_GIT_FILE_OP = re.compile(
    r"\.(add|show|is_dirty|checkout|commit|diff|push|status|iter_commits|log|rm|mv|remove|create_tag|archive)\s*\("
    r"|\.tree\b|\.stats\b|\buntracked_files\b|\.entries\b|\.(clone_from|clone|reset|switch|merge|revert|cherry_pick|rebase|bisect)\s*\("
)


class TranslateGitPythonDvcRules(TaskRules):
    """Scope: only GitPython file operations change. Postconditions: data goes through DVC."""

    TASK = SPEC.id
    SCOPE = "translate"
    # Versioning data means reading, writing, restoring and removing the data files themselves
    # (a checkout of old paths rewrites them); process, network and environment stay out.
    HELPER_NAMES = frozenset({"os", "sys"})

    def allowed_capability(self, use) -> bool:
        if use.kind == "file":
            return True
        # The DVC and git command lines themselves, with a literal command: `subprocess.run(["dvc", "add", p])`.
        return use.kind == "process" and (
            use.text == "import subprocess"
            or bool(re.match(r"subprocess\.(run|call|check_call|check_output)\(\[\s*['\"](dvc|git)['\"]", use.text))
        )

    def removable(self, original_stmt: str) -> bool:
        return bool(_GIT_FILE_OP.search(original_stmt))

    def postconditions(
        self, original: cst.Module, candidate: cst.Module, facts: Facts, options: AdaptOptions
    ) -> list[str]:
        globs = gp.split_globs(options.task_options.get("data"))
        before = gp.find_git_ops(original, globs)
        touching = [op for op in before if op.kind == "data" or op.op == "add-all"]
        if not touching:
            return []
        problems: list[str] = []
        names = gp.git_names(candidate)
        if not names.uses_dvc:
            return ["the candidate does not use DVC"]
        after = gp.find_git_ops(candidate, globs)
        for op in after:
            if op.kind == "data" and op.op in ("add", "show", "blob", "checkout-paths", "remove"):
                problems.append(f"line {op.line}: `{op.text}` still versions data with git")

        dvc = _DvcUse(candidate)
        added = [p for op in before if op.op == "add" and op.kind == "data" for p in op.paths]
        dvc_add_calls = dvc.calls_doing("add")
        constants = {**_string_constants(original), **_string_constants(candidate)}
        for path in dict.fromkeys(added):
            if not any(_names_path(text, path, constants) for text in dvc_add_calls):
                problems.append(f"data path `{path}` is not added with DVC")
        if any(op.op == "add-all" for op in before) and not dvc_add_calls:
            problems.append("`git add --all` is not preceded by a DVC add of the data files")
        if not _adds_dvc_files(after) or not dvc.has_string(r"\.gitignore"):
            problems.append("the .dvc files and .gitignore are not added to git")
        if _count_method(candidate, "commit") < _count_method(original, "commit"):
            problems.append("a git `commit` of the original is missing")
        if _count_method(candidate, "create_tag") < _count_method(original, "create_tag"):
            # DVC reads versions by any git revision; a tag is a convenience the output must not need.
            problems.append(Recommendation("a git `create_tag` of the original is missing"))
        reads = [op for op in before if op.kind == "data" and op.op in ("show", "blob", "checkout-paths")]
        if reads and not (dvc.uses_api_read or dvc.calls_doing("checkout")):
            problems.append("old data versions are not read with dvc.api.read/open (rev=...)")
        elif reads and any(_reads_old_version(op.text) for op in reads):
            api_reads = _dvc_api_reads(candidate)
            if api_reads and not dvc.calls_doing("checkout") and not any(_passes_rev(c) for c in api_reads):
                problems.append(
                    "an old data version is read with dvc.api.read/open without rev=, "
                    "so it reads the current version instead"
                )
        if any(op.op == "push" for op in before) and not dvc.calls_doing("push"):
            problems.append("the git push is not followed by a DVC push")
        if any(op.op == "pull" for op in before) and not (dvc.calls_doing("pull") or dvc.calls_doing("checkout")):
            problems.append("the git pull is not followed by a DVC pull (or checkout): the pulled .dvc files name data that is not there")
        data_adds = sum(1 for op in before if op.op in ("add", "add-all") and op.kind != "code")
        if any(op.op == "add-update" for op in before) and not (
            dvc.calls_doing("commit") or len(dvc_add_calls) > data_adds
        ):
            problems.append("`git add -u` stages no changed DVC-tracked data: it needs a DVC commit (or add) of it first")
        if dvc_add_calls and not _leaves_git_index(candidate):
            # In a fresh repository DVC takes the data; where git tracks it already (the usual
            # migration) `dvc add` raises OutputAlreadyTrackedError.
            problems.append(Recommendation(
                "data is added with DVC without first leaving git's index (`git rm --cached`): "
                "in a repository whose data git already tracks, DVC refuses it"
            ))
        if not dvc.init_guarded:
            # A migrated repository is initialised once by hand (`dvc init`); guarding it in code is a courtesy.
            problems.append(Recommendation("the DVC repository is not initialised when missing (guarded `Repo.init`)"))
        return problems

    def test_constants(self, original: str, candidate: str, facts: dict) -> dict:
        """The paths the original versions as data, so the V5 check tells data from project files."""
        return {"DATA_PATHS": original_data_paths(original)}


def _leaves_git_index(module: cst.Module) -> bool:
    """Whether the module takes paths out of git's index: `index.remove(...)`, `git rm --cached`."""
    for call in calls_in(module):
        name = last_name(call) or ""
        args = " ".join(code(a) for a in call.args)
        if name == "remove" or (name == "rm" and ("cached" in args)) or "'rm'" in args or '"rm"' in args:
            return True
    return False


def _adds_dvc_files(ops) -> bool:
    """Whether a git add of the candidate stages `.dvc` files: a literal `data.csv.dvc`, a built name
    (`DATA + ".dvc"`, `f"{path}.dvc"`), everything (`git add -A`), or paths computed at run time
    (which cannot be read statically, so they get the benefit of the doubt). The `.dvc` folder
    itself (`os.path.isdir(".dvc")`) is not a `.dvc` file."""
    for op in ops:
        if op.op == "add-all":
            return True
        if op.op != "add" or op.kind == "data":
            continue
        try:
            call = cst.parse_expression(op.text)
        except cst.ParserSyntaxError:
            continue
        if not isinstance(call, cst.Call):
            continue
        for arg in call.args:
            values = arg.value.elements if isinstance(arg.value, (cst.List, cst.Tuple)) else [arg.value]
            for element in values:
                expr = element.value if isinstance(element, cst.BaseElement) else element
                text = string_value(expr)
                if text is None and not isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
                    if re.search(r"\.dvc\b(?![/\w])", code(expr)) or not isinstance(expr, cst.FormattedString):
                        return True  # `DATA + ".dvc"`, a variable, a call: decided at run time
                    continue
                if text and text.endswith(".dvc") and text != ".dvc" and not text.startswith(".dvc/"):
                    return True
    return False


def _reads_old_version(text: str) -> bool:
    """Whether a GitPython read (`repo.git.show("v1:data.csv")`) names a revision other than HEAD."""
    try:
        call = cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return True
    if not isinstance(call, cst.Call) or not call.args:
        return True
    first = call.args[0].value
    value = string_value(first)
    if value is None:
        if isinstance(first, cst.FormattedString) and first.parts and isinstance(first.parts[0], cst.FormattedStringText):
            value = first.parts[0].value
            if ":" not in value:
                return True  # the revision itself is an expression
        else:
            return True
    ref = value.split(":", 1)[0] if ":" in value else ""
    return ref.strip().upper() not in ("", "HEAD")


def _dvc_api_reads(module: cst.Module) -> list[cst.Call]:
    """Calls of dvc.api.read / dvc.api.open (also through `from dvc.api import read`)."""
    local: set[str] = set()
    for node in iter_nodes(module):
        if (
            isinstance(node, cst.ImportFrom)
            and node.module is not None
            and code(node.module) == "dvc.api"
            and not isinstance(node.names, cst.ImportStar)
        ):
            for alias in node.names:
                if code(alias.name) in ("read", "open"):
                    local.add(code(alias.asname.name) if alias.asname else code(alias.name))
    found = []
    for call in calls_in(module):
        name = dotted(call.func) or ""
        if name in local or re.search(r"(^|\.)dvc\.api\.(read|open)$", name) or re.fullmatch(r"api\.(read|open)", name):
            found.append(call)
    return found


def _passes_rev(call: cst.Call) -> bool:
    """`rev=` given (by keyword, or as the third positional argument: read(path, repo, rev))."""
    if any(a.keyword is not None and a.keyword.value == "rev" for a in call.args):
        return True
    return len([a for a in call.args if a.keyword is None and not a.star]) >= 3


def _string_constants(module: cst.Module) -> dict[str, str]:
    """Module-level `NAME = "text"` constants (data paths are often named once)."""
    found: dict[str, str] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                    value = string_value(small.value)
                    if value is not None:
                        found[small.targets[0].target.value] = value
    return found


def _names_path(call_text: str, path: str, constants: dict[str, str]) -> bool:
    """Whether a DVC add call's source names the data path `path` (source text of the original's path).

    The same expression counts, and so does the same string however it is spelled: another quote
    style, a constant that holds it, `os.path.abspath("data.csv")`, a path ending in `/data.csv`.
    """
    if path in call_text:
        return True
    want = string_value(cst.parse_expression(path)) if _parses(path) else None
    want = want if want is not None else constants.get(path)
    if not want:
        return False
    want = want.rstrip("/").removeprefix("./")
    try:
        call = cst.parse_expression(call_text)
    except cst.ParserSyntaxError:
        return False
    for node in iter_nodes(call):
        text = string_value(node) if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) else None
        if text is None and isinstance(node, cst.Name):
            text = constants.get(node.value)
        if text is None:
            continue
        text = text.rstrip("/").removeprefix("./")
        if text == want or text.endswith("/" + want):
            return True
    return False


def _parses(text: str) -> bool:
    try:
        cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return False
    return True


def _count_method(module: cst.Module, method: str) -> int:
    return sum(1 for call in calls_in(module) if last_name(call) == method and isinstance(call.func, cst.Attribute))


class _DvcUse:
    """Where a module calls DVC: directly, through functions that do, or through the `dvc` CLI."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.aliases = _dvc_repo_aliases(module)
        self.instances: set[str] = set()
        self.instances = self._repo_instances()
        self.functions = {
            node.name.value: node for node in nodes_of(module, cst.FunctionDef)
        }
        self.aware = {name for name, node in self.functions.items() if self._mentions_dvc(node)}
        changed = True
        while changed:
            changed = False
            for name, node in self.functions.items():
                if name not in self.aware and any(last_name(c) in self.aware for c in calls_in(node)):
                    self.aware.add(name)
                    changed = True
        text = code(module)
        self.uses_api_read = bool(re.search(
            r"\bdvc\.api\.(read|open|DVCFileSystem)\(|\b(read|open)\(.*\brev=", text)) and (
            "dvc.api" in text
        )
        self.init_guarded = self._init_guarded()
        self._strings = [s for s in _strings(module)]

    def _repo_instances(self) -> set[str]:
        """Names bound to DVC repositories: `dvc_repo = DvcRepo(".")`, `with Repo.init(".") as r:`."""
        found: set[str] = set()
        changed = True
        while changed:
            changed = False
            for node in iter_nodes(self.module):
                if isinstance(node, cst.Assign):
                    names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
                    value = node.value
                elif isinstance(node, cst.WithItem) and node.asname and isinstance(node.asname.name, cst.Name):
                    names, value = [node.asname.name.value], node.item
                else:
                    continue
                callee = dotted(value.func) if isinstance(value, cst.Call) else None
                head = (callee or "").split(".")[0]
                if head in self.aliases and (callee == head or callee.endswith((".Repo", ".Repo.init", ".init"))):
                    new = set(names) - found
                    if new:
                        found |= new
                        self.instances = found
                        changed = True
        return found

    def _mentions_dvc(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self.instances or node.value in self.aliases
        head = (dotted(node) or "").split(".")[0] if isinstance(node, cst.Attribute) else ""
        if head and head in self.instances:
            return True
        for call in calls_in(node):
            name = dotted(call.func) or ""
            if any(name == a or name.startswith(a + ".") for a in self.aliases) or name.startswith("dvc."):
                return True
            if name.split(".")[0] in self.instances:
                return True
            if _is_dvc_cli(call):
                return True
        return False

    def calls_doing(self, method: str) -> list[str]:
        """Source of the calls that perform a DVC `method` (add, push, checkout) on some paths."""
        doers = {
            name for name, node in self.functions.items()
            if name in self.aware and any(last_name(c) == method for c in calls_in(node))
        }
        changed = True
        while changed:
            changed = False
            for name, node in self.functions.items():
                if name not in doers and any(last_name(c) in doers for c in calls_in(node)):
                    doers.add(name)
                    changed = True
        found = []
        for call in calls_in(self.module):
            name = last_name(call)
            if name in doers or name == method and isinstance(call.func, cst.Attribute) and self._mentions_dvc(call.func.value) or _is_dvc_cli(call, method):
                found.append(code(call))
        return found

    def has_string(self, pattern: str) -> bool:
        return any(re.search(pattern, s) for s in self._strings)

    def _init_guarded(self) -> bool:
        use = self

        class _Ifs(cst.CSTVisitor):
            found = False

            def visit_If(self, node: cst.If) -> None:
                test = code(node.test)
                if ".dvc" in test and any(
                    last_name(c) == "init" and use._mentions_dvc(c) or _is_dvc_cli(c, "init")
                    for c in calls_in(node.body)
                ):
                    _Ifs.found = True

        self.module.visit(_Ifs())
        return _Ifs.found


def _dvc_repo_aliases(module: cst.Module) -> set[str]:
    aliases: set[str] = set()

    class _Imports(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            base = dotted(node.module) if node.module else ""
            if base in ("dvc.repo", "dvc") and not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    if code(alias.name) in ("Repo", "repo"):
                        aliases.add(code(alias.asname.name) if alias.asname else code(alias.name))

        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                full = code(alias.name)
                if full.startswith("dvc"):
                    aliases.add(code(alias.asname.name) if alias.asname else "dvc")

    module.visit(_Imports())
    return aliases


def _strings(module: cst.Module) -> list[str]:
    found: list[str] = []

    class _Strings(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            value = string_value(node)
            if value is not None:
                found.append(value)

        def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
            found.append(node.value)

    module.visit(_Strings())
    return found


def _is_dvc_cli(call: cst.Call, method: str | None = None) -> bool:
    """`subprocess.run(["dvc", "add", ...])` and the like."""
    for arg in call.args:
        value = arg.value
        if isinstance(value, (cst.List, cst.Tuple)) and len(value.elements) >= 2:
            words = [string_value(e.value) for e in value.elements[:2]]
            if words[0] == "dvc" and (method is None or words[1] == method):
                return True
        text = string_value(value)
        verb = re.escape(method) if method else r"\w+"
        if text and re.match(r"^dvc\s+" + verb + r"\b", text):
            return True
    return False


def original_data_paths(original: str) -> list[str]:
    """The paths (patterns, `*` for what is not known statically) the original adds to git as data."""
    from mlops_adapt.analysis import gitpython as gp
    from mlops_adapt.analysis.cache import parsed

    try:
        module = parsed(original)
    except cst.ParserSyntaxError:
        return []
    consts = gp.Constants(module)
    found: list[str] = []
    for op in gp.find_git_ops(module):
        if op.kind != "data" or op.op not in ("add", "remove"):
            continue
        for text in op.paths:
            try:
                pattern = gp.path_pattern(cst.parse_expression(text), consts)
            except cst.ParserSyntaxError:
                continue
            if pattern and pattern.strip("*/"):
                found.append(pattern)
    return sorted(dict.fromkeys(found))
