"""Read-only analysis of GitPython code: which objects are repositories and which calls touch data paths."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from mlops_adapt.analysis.exprs import assigned_names, calls_in, code, dotted, string_value

PathKind = Literal["data", "code", "unknown"]

# Suffixes of files that are data rather than code (checked lower-cased, longest first).
DATA_EXTENSIONS: tuple[str, ...] = (
    ".tar.gz", ".csv", ".tsv", ".parquet", ".npy", ".npz", ".pkl", ".pickle", ".h5", ".hdf5",
    ".feather", ".arrow", ".jsonl", ".zip", ".tgz", ".gz", ".png", ".jpg", ".jpeg", ".bmp",
    ".gif", ".tif", ".tiff", ".webp", ".joblib", ".pt", ".pth", ".ckpt", ".bin", ".avro", ".orc",
    ".xlsx", ".xls", ".db", ".sqlite", ".wav", ".mp3", ".mp4", ".tfrecord", ".lmdb", ".safetensors",
    ".dat", ".data", ".ndjson",
)
# Text files that are data when their name says so (`train.txt`, `labels.json`), not configs.
DATA_NAME_EXTENSIONS: tuple[str, ...] = (".txt", ".json", ".xml")
DATA_NAME_PATTERN = (
    r"(?!.*(config|setting|param|args|require|readme|license))"
    r"(.*[_.-])?(data|dataset|train|test|val|valid|validation|labels?|features|samples|records|corpus"
    r"|points|measurements|observations)([_.-].*|\d+)?"
)
# Plain-text files are data (vocabularies, word lists, measurements) unless their name says they
# are documentation, requirements or settings.
TEXT_EXTENSIONS: tuple[str, ...] = (".txt",)
TEXT_NOT_DATA_PATTERN = (
    r"(.*[_.-])?(requirements?|constraints|readme|license|licence|copying|changelog|changes|history|news"
    r"|notes?|todo|authors|contributors|contributing|manifest|version|install|config|configuration"
    r"|settings?|params?|args|options|dependencies|deps|cmakelists|robots)([_.-].*|\d+)?"
)
# Folder names whose content is data (besides names like `train_data`, `data_v2`, `datasets`).
DATA_DIRS: frozenset[str] = frozenset(
    {"data", "datasets", "dataset", "raw", "processed", "images", "imgs", "interim", "corpus",
     "annotations", "labels", "features", "embeddings", "arrays", "shards", "samples", "records",
     "vocab", "splits", "tables", "measurements", "snapshots", "audio", "videos", "texts"}
)
DATA_DIR_PATTERN = r"(\w+[_-])?(data|dataset|datasets)([_-]\w+)?"
# Files that stay code even inside a data folder.
CODE_EXTENSIONS: tuple[str, ...] = (
    ".py", ".ipynb", ".sh", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".md", ".rst", ".r", ".sql",
)
# Files DVC and git manage themselves: never data.
_META = (".dvc", ".gitignore", ".dvcignore", ".gitattributes")



def split_globs(option: str | None) -> tuple[str, ...]:
    """The globs of `--option data=GLOB[,GLOB...]` (empty: use the heuristics)."""
    if not option:
        return ()
    return tuple(g.strip().lstrip("./") for g in re.split(r"[,;]", option) if g.strip())


def is_data_path(path: str, globs: tuple[str, ...] = (), folders: tuple[str, ...] = ()) -> bool:
    """Whether a repository-relative path (possibly a folder) names data.

    `folders`: folders the script itself fills with data files (see data_folders); their
    content, and the folders themselves, count as data too."""
    rel = path.replace("\\", "/")
    while rel.startswith("./"):
        rel = rel[2:]
    rel = rel.rstrip("/")
    if not rel or rel == "." or rel.endswith(_META):
        return False
    if globs:
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel + "/", g) for g in globs)
    lower = rel.lower()
    if lower.endswith(DATA_EXTENSIONS):
        return True
    if lower.endswith(CODE_EXTENSIONS):
        return False
    name = lower.rsplit("/", 1)[-1]
    if name.endswith(DATA_NAME_EXTENSIONS) and re.fullmatch(DATA_NAME_PATTERN, name.rsplit(".", 1)[0]):
        return True
    if name.endswith(TEXT_EXTENSIONS) and not re.fullmatch(TEXT_NOT_DATA_PATTERN, name.rsplit(".", 1)[0]):
        return True
    if any(rel == f or rel.startswith(f + "/") for f in folders):
        return True
    return any(is_data_dir(part) for part in lower.split("/"))


def is_data_dir(name: str) -> bool:
    """Whether a folder name says its content is data."""
    return name.lower() in DATA_DIRS or re.fullmatch(DATA_DIR_PATTERN, name.lower()) is not None


def classify_pattern(pattern: str | None, globs: tuple[str, ...] = (), folders: tuple[str, ...] = ()) -> PathKind:
    """Classify a path known only as a pattern in which `*` stands for unknown text."""
    if pattern is None:
        return "unknown"
    if "*" not in pattern:
        return "data" if is_data_path(pattern, globs, folders) else "code"
    head = pattern.rsplit("*", 1)[-1]
    if globs:
        # With explicit globs only an exact answer counts; unknown parts are decided at run time.
        return "unknown"
    if head and head.lower().endswith(DATA_EXTENSIONS):
        return "data"
    known = pattern.split("*", 1)[0].rsplit("/", 1)[0].removeprefix("./") if "/" in pattern.split("*", 1)[0] else ""
    in_folder = bool(known) and any(known == f or known.startswith(f + "/") for f in folders)
    if in_folder or any(is_data_dir(part) for part in pattern.split("/")[:-1] if "*" not in part):
        return "code" if head.lower().endswith(CODE_EXTENSIONS) else "data"
    known_tail = head.rsplit("/", 1)[-1]
    if "." in known_tail and not pattern.endswith("*"):
        return "code"  # e.g. f"{src}/train.py": a known suffix that is not data
    return "unknown"


class Constants:
    """Module-level names assigned exactly once, for resolving path variables."""

    def __init__(self, module: cst.Module) -> None:
        self.values: dict[str, cst.BaseExpression] = {}
        counts: dict[str, int] = {}

        class _Assigns(cst.CSTVisitor):
            def visit_Assign(self, node: cst.Assign) -> None:
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        counts[target.target.value] = counts.get(target.target.value, 0) + 1
                        self_values[target.target.value] = node.value

            def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
                if isinstance(node.target, cst.Name) and node.value is not None:
                    counts[node.target.value] = counts.get(node.target.value, 0) + 1
                    self_values[node.target.value] = node.value

            def visit_For(self, node: cst.For) -> None:
                for name in assigned_names(node.target):
                    counts[name] = counts.get(name, 0) + 2  # a loop variable is never one value

        self_values: dict[str, cst.BaseExpression] = {}
        module.visit(_Assigns())
        self.values = {k: v for k, v in self_values.items() if counts.get(k) == 1}

    def get(self, name: str) -> cst.BaseExpression | None:
        return self.values.get(name)


def path_pattern(expr: cst.BaseExpression, consts: Constants | None = None, depth: int = 0) -> str | None:
    """The text a path expression evaluates to, with `*` for the parts not known statically."""
    if depth > 8:
        return "*"
    value = string_value(expr)
    if value is not None:
        return value
    if isinstance(expr, cst.ConcatenatedString):
        left = path_pattern(expr.left, consts, depth + 1)
        right = path_pattern(expr.right, consts, depth + 1)
        return (left or "*") + (right or "*")
    if isinstance(expr, cst.FormattedString):
        out = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
            else:
                inner = path_pattern(part.expression, consts, depth + 1) if not part.format_spec else None
                out.append(inner if inner is not None else "*")
        return "".join(out)
    if isinstance(expr, cst.Name):
        bound = consts.get(expr.value) if consts else None
        return path_pattern(bound, consts, depth + 1) if bound is not None else "*"
    if isinstance(expr, cst.BinaryOperation):
        left = path_pattern(expr.left, consts, depth + 1) or "*"
        right = path_pattern(expr.right, consts, depth + 1) or "*"
        if isinstance(expr.operator, cst.Divide):
            return f"{left}/{right}"
        if isinstance(expr.operator, cst.Add):
            return left + right
        return "*"
    if isinstance(expr, cst.Call):
        name = dotted(expr.func) or ""
        args = [a.value for a in expr.args if a.keyword is None]
        if name.endswith(("path.join", "Path", "PurePath", "PosixPath")) and args:
            parts = [path_pattern(a, consts, depth + 1) or "*" for a in args]
            return "/".join(p.rstrip("/") for p in parts)
        if name in ("str", "os.fspath", "os.path.normpath", "os.path.abspath", "os.path.relpath") and args:
            return path_pattern(args[0], consts, depth + 1)
        if name.endswith(".joinpath") and isinstance(expr.func, cst.Attribute):
            base = path_pattern(expr.func.value, consts, depth + 1) or "*"
            return "/".join([base] + [path_pattern(a, consts, depth + 1) or "*" for a in args])
        return "*"
    if isinstance(expr, cst.Attribute) and expr.attr.value in ("name", "stem"):
        return "*"
    return "*"


def classify_expr(
    expr: cst.BaseExpression, consts: Constants | None, globs: tuple[str, ...] = (), folders: tuple[str, ...] = ()
) -> PathKind:
    """data / code / unknown for one path expression."""
    return classify_pattern(path_pattern(expr, consts), globs, folders)


def path_items(arg: cst.BaseExpression, consts: Constants | None) -> list[cst.BaseExpression] | None:
    """The elements of a literal list/tuple of paths (resolving a constant name), else None."""
    if isinstance(arg, cst.Name) and consts is not None:
        bound = consts.get(arg.value)
        if isinstance(bound, (cst.List, cst.Tuple)):
            arg = bound
    if isinstance(arg, (cst.List, cst.Tuple)):
        if any(not isinstance(e, cst.Element) or isinstance(e, cst.StarredElement) for e in arg.elements):
            return None
        return [e.value for e in arg.elements]
    return None


def classify_paths(
    args: list[cst.BaseExpression], consts: Constants | None, globs: tuple[str, ...] = (), folders: tuple[str, ...] = ()
) -> PathKind:
    """The combined kind of the paths one call receives (data wins over unknown over code)."""
    kinds: set[str] = set()
    for arg in args:
        items = path_items(arg, consts)
        if items is None:
            bound = consts.get(arg.value) if isinstance(arg, cst.Name) and consts is not None else None
            if isinstance(arg, (cst.List, cst.Tuple, cst.ListComp, cst.GeneratorExp)) or (
                isinstance(arg, cst.Name) and bound is None
            ):
                kinds.add(_collection_kind(arg, consts, globs, folders))  # a name bound at run time: a str or a list
            else:
                kinds.add(classify_expr(arg, consts, globs, folders))
        else:
            kinds.update(classify_expr(item, consts, globs, folders) for item in items)
    if "data" in kinds:
        return "data"
    if "unknown" in kinds:
        return "unknown"
    return "code"


def _collection_kind(
    arg: cst.BaseExpression, consts: Constants | None, globs: tuple[str, ...], folders: tuple[str, ...] = ()
) -> PathKind:
    """A comprehension is as data-like as its element; a plain name is only known at run time."""
    if isinstance(arg, (cst.ListComp, cst.GeneratorExp)):
        return classify_expr(arg.elt, consts, globs, folders)
    return "unknown"


# ----------------------------------------------------------------------------------------------
# Which expressions are GitPython objects.


@dataclass
class GitNames:
    """Local names bound to GitPython objects, by what they are."""

    git_imported: bool = False
    repo_ctor_names: set[str] = field(default_factory=set)  # local names of git.Repo
    repos: set[str] = field(default_factory=set)
    indexes: set[str] = field(default_factory=set)
    gits: set[str] = field(default_factory=set)  # repo.git command objects
    remotes: set[str] = field(default_factory=set)
    heads: set[str] = field(default_factory=set)  # branches: `repo.create_head(...)`, `repo.active_branch`
    commits: set[str] = field(default_factory=set)  # `repo.commit(...)`, `repo.head.commit`, iter_commits items
    uses_dvc: bool = False


def git_names(module: cst.Module) -> GitNames:
    """Find the imports of GitPython and the names bound to its repositories, indexes and remotes."""
    found = GitNames()

    class _Imports(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                full = dotted(alias.name) or ""
                if full.split(".")[0] == "git":
                    found.git_imported = True
                    local = dotted(alias.asname.name) if alias.asname else "git"
                    found.repo_ctor_names.add(f"{local}.Repo")
                if full.split(".")[0] == "dvc":
                    found.uses_dvc = True

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            base = dotted(node.module) if node.module else ""
            if (base or "").split(".")[0] == "dvc":
                found.uses_dvc = True
            if (base or "").split(".")[0] != "git" or isinstance(node.names, cst.ImportStar):
                if base and base.split(".")[0] == "git":
                    found.git_imported = True
                    found.repo_ctor_names.add("Repo")
                return
            found.git_imported = True
            for alias in node.names:
                name = dotted(alias.name) or ""
                local = dotted(alias.asname.name) if alias.asname else name
                if name == "Repo":
                    found.repo_ctor_names.add(local or name)

    module.visit(_Imports())

    class _Bindings(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            kind = expr_kind(node.value, found)
            for target in node.targets:
                name = dotted(target.target) if not isinstance(target.target, (cst.Tuple, cst.List)) else None
                if name and kind:
                    getattr(found, kind).add(name)

        def visit_For(self, node: cst.For) -> None:
            kind = _items_kind(node.iter, found)
            if kind and isinstance(node.target, cst.Name):
                getattr(found, kind).add(node.target.value)

        def visit_WithItem(self, node: cst.WithItem) -> None:
            kind = expr_kind(node.item, found)
            if kind and node.asname is not None:
                name = dotted(node.asname.name)  # type: ignore[arg-type]
                if name:
                    getattr(found, kind).add(name)

        def visit_Param(self, node: cst.Param) -> None:
            if re.search(r"repo$", node.name.value, re.IGNORECASE) and found.git_imported:
                found.repos.add(node.name.value)
            annotation = dotted(node.annotation.annotation) if node.annotation is not None else None
            if annotation and found.git_imported and (
                annotation in found.repo_ctor_names or annotation.endswith(("git.Repo", "git.repo.base.Repo"))
            ):
                found.repos.add(node.name.value)

    # Two passes so that `index = repo.index` after `repo = Repo(...)` is seen in any order.
    module.visit(_Bindings())
    module.visit(_Bindings())
    if found.git_imported and _repo_parameters(module, found):
        module.visit(_Bindings())
    return found


def _repo_parameters(module: cst.Module, found: GitNames) -> bool:
    """`def snapshot(r, files): r.index.add(files)` called as `snapshot(repo, ...)`: the parameter that
    receives a repository is one too. True when it found a new one."""
    functions = {f.name.value: f for f in module.body if isinstance(f, cst.FunctionDef)}
    added = False
    for call in calls_in(module, lambdas=True):
        func = functions.get(call.func.value) if isinstance(call.func, cst.Name) else None
        if func is None:
            continue
        params = [p.name.value for p in func.params.params]
        for index, arg in enumerate(call.args):
            if arg.star or expr_kind(arg.value, found) != "repos":
                continue
            name = arg.keyword.value if arg.keyword is not None else (params[index] if index < len(params) else None)
            if name and name not in found.repos:
                found.repos.add(name)
                added = True
    return added


def expr_kind(expr: cst.BaseExpression, names: GitNames) -> str | None:
    """'repos' / 'indexes' / 'gits' / 'remotes' for a GitPython object expression, else None."""
    text = dotted(expr)
    if text is not None:
        for kind in _KINDS:
            if text in getattr(names, kind):
                return kind
    if isinstance(expr, cst.Call):
        func = dotted(expr.func) or ""
        if any(func == f"{c}" or func == f"{c}.init" or func == f"{c}.clone_from" for c in names.repo_ctor_names):
            return "repos"
        if isinstance(expr.func, cst.Attribute) and is_repo(expr.func.value, names):
            attr = expr.func.attr.value
            if attr in ("remote", "create_remote"):
                return "remotes"
            if attr == "create_head":
                return "heads"
            if attr == "commit":
                return "commits"
        return None
    if isinstance(expr, (cst.Attribute, cst.Subscript)):
        base = expr.value
        if isinstance(expr, cst.Attribute):
            if expr.attr.value == "index" and is_repo(base, names):
                return "indexes"
            if expr.attr.value == "git" and is_repo(base, names):
                return "gits"
            if isinstance(base, cst.Attribute) and base.attr.value == "remotes" and is_repo(base.value, names):
                return "remotes"
        if isinstance(expr, cst.Subscript) and isinstance(base, cst.Attribute) and base.attr.value == "remotes":
            return "remotes"
        if isinstance(expr, cst.Attribute) and expr.attr.value == "active_branch" and is_repo(base, names):
            return "heads"
        if isinstance(base, cst.Attribute) and base.attr.value in ("heads", "branches") and is_repo(base.value, names):
            return "heads"  # `repo.heads.main`, `repo.heads["main"]`
        if isinstance(expr, cst.Attribute) and expr.attr.value == "commit" and names.git_imported:
            return "commits"  # `repo.head.commit`, `tag.commit`, `branch.commit`
        if isinstance(expr, cst.Subscript) and isinstance(base, cst.Attribute) and base.attr.value == "parents":
            return "commits"
    if isinstance(expr, cst.Name):
        for kind in _KINDS:
            if expr.value in getattr(names, kind):
                return kind
    if isinstance(expr, cst.IfExp):
        # `target if isinstance(target, git.IndexFile) else repo.index`: either branch says what it is.
        return expr_kind(expr.orelse, names) or expr_kind(expr.body, names)
    return None


_KINDS = ("repos", "indexes", "gits", "remotes", "heads", "commits")


def _items_kind(expr: cst.BaseExpression, names: GitNames) -> str | None:
    """What a loop over `expr` binds: commits of `iter_commits(...)`, heads of `repo.heads` or of a
    tuple/list of heads."""
    if isinstance(expr, cst.Call) and dotted(expr.func) in ("list", "reversed", "sorted") and expr.args:
        return _items_kind(expr.args[0].value, names)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "iter_commits":
        return "commits"
    if isinstance(expr, cst.Attribute) and expr.attr.value in ("heads", "branches") and is_repo(expr.value, names):
        return "heads"
    if isinstance(expr, (cst.Tuple, cst.List)) and expr.elements:
        kinds = {expr_kind(e.value, names) for e in expr.elements}
        if len(kinds) == 1 and kinds & {"heads", "commits"}:
            return kinds.pop()
    return None


def is_repo(expr: cst.BaseExpression, names: GitNames) -> bool:
    """Whether an expression is (very likely) a git.Repo."""
    text = dotted(expr)
    if text is None:
        return isinstance(expr, cst.Call) and expr_kind(expr, names) == "repos"
    if text in names.repos:
        return True
    return names.git_imported and bool(re.search(r"(^|[._])(\w*repo)$", text, re.IGNORECASE))


def is_index(expr: cst.BaseExpression, names: GitNames) -> bool:
    return expr_kind(expr, names) == "indexes"


def is_git_cmd(expr: cst.BaseExpression, names: GitNames) -> bool:
    return expr_kind(expr, names) == "gits"


def is_remote(expr: cst.BaseExpression, names: GitNames) -> bool:
    if expr_kind(expr, names) == "remotes":
        return True
    text = dotted(expr) or ""
    return names.git_imported and bool(re.search(r"(^|\.)(origin|remote|upstream)$", text))


def repo_of(expr: cst.BaseExpression) -> cst.BaseExpression:
    """The repository expression behind `repo.index` / `repo.git`, else the expression itself."""
    if isinstance(expr, cst.Attribute) and expr.attr.value in ("index", "git"):
        return expr.value
    return expr


# ----------------------------------------------------------------------------------------------
# The data operations themselves.


@dataclass(frozen=True)
class GitOp:
    """One GitPython call the translation is about."""

    # add | add-all | show | blob | dirty | push | checkout | checkout-paths | commit-all | diff
    # | diff-names | history | log | status | remove | move
    op: str
    line: int
    text: str  # source of the call
    kind: PathKind  # whether it touches data
    paths: tuple[str, ...] = ()  # source text of the data path expressions


def add_call_paths(call: cst.Call) -> tuple[list[cst.BaseExpression], bool]:
    """The path arguments of an add call, and whether it is an add-everything (`-A`, `.`, `*`)."""
    paths: list[cst.BaseExpression] = []
    add_all = False
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value in ("A", "all") and code(arg.value) == "True":
                add_all = True
            continue
        if arg.star:
            paths.append(arg.value)
            continue
        value = string_value(arg.value)
        if value in ("-A", "--all", ".", "*", "./"):
            add_all = True
            continue
        if value is not None and value.startswith("-"):
            continue
        paths.append(arg.value)
    return paths, add_all


def is_update(call: cst.Call) -> bool:
    """`git add -u` (`git.add(update=True)`, `git.add("-u")`): stage changes of tracked files only."""
    return any(
        (a.keyword is not None and a.keyword.value in ("u", "update") and code(a.value) == "True")
        or (a.keyword is None and string_value(a.value) in ("-u", "--update"))
        for a in call.args
    )


def find_git_ops(
    module: cst.Module, globs: tuple[str, ...] = (), folders: tuple[str, ...] | None = None
) -> list[GitOp]:
    """Every GitPython call that versions, reads or checks files, with whether it touches data."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    names = git_names(module)
    consts = Constants(module)
    if folders is None:
        folders = data_folders(module, globs, consts)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    ops: list[GitOp] = []
    if not names.git_imported:
        return ops

    class _Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            found = classify_call(node, names, consts, globs, folders)
            if found:
                op, kind, paths = found
                ops.append(GitOp(op, positions[node].start.line, code(node), kind, tuple(code(p) for p in paths)))

        def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
            if isinstance(node.operator, cst.Divide) and is_tree(node.left):
                kind = classify_expr(node.right, consts, globs, folders)
                ops.append(GitOp("blob", positions[node].start.line, code(node), kind, (code(node.right),)))

        def visit_Subscript(self, node: cst.Subscript) -> None:
            if is_tree(node.value) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                path = node.slice[0].slice.value
                kind = classify_expr(path, consts, globs, folders)
                ops.append(GitOp("blob", positions[node].start.line, code(node), kind, (code(path),)))

    module.visit(_Calls())
    return ops


def is_tree(expr: cst.BaseExpression) -> bool:
    """`something.tree`: a commit's tree, indexed by path to reach a blob."""
    return isinstance(expr, cst.Attribute) and expr.attr.value == "tree"


def classify_call(
    call: cst.Call, names: GitNames, consts: Constants, globs: tuple[str, ...], folders: tuple[str, ...] = ()
) -> tuple[str, PathKind, list[cst.BaseExpression]] | None:
    """(op, kind, data paths) when a call is a GitPython file operation, else None."""
    if not isinstance(call.func, cst.Attribute):
        return None
    method = call.func.attr.value
    target = call.func.value
    if method == "add" and (is_index(target, names) or is_git_cmd(target, names)):
        if is_update(call):
            return "add-update", "unknown", []
        paths, add_all = add_call_paths(call)
        if add_all:
            return "add-all", "unknown", []
        kind = classify_paths(paths, consts, globs, folders)
        return "add", kind, [p for p in _flatten(paths, consts) if classify_expr(p, consts, globs, folders) == "data"]
    if method == "show" and is_git_cmd(target, names):
        specs = [a.value for a in call.args if a.keyword is None]
        if len(specs) != 1 or any(a.keyword is not None for a in call.args):
            return None
        pattern = path_pattern(specs[0], consts)
        if pattern is None or ":" not in pattern:
            return None
        kind = classify_pattern(pattern.split(":", 1)[1], globs, folders)
        return "show", kind, [specs[0]] if kind == "data" else []
    if method == "is_dirty" and is_repo(target, names):
        return "dirty", "unknown", []
    if method in ("push", "pull") and (is_remote(target, names) or is_git_cmd(target, names)):
        return method, "unknown", []
    if method == "checkout" and expr_kind(target, names) == "heads":
        return "checkout", "unknown", []  # `branch.checkout()`
    if method in _MOVES_WORK_TREE and is_git_cmd(target, names):
        return "checkout", "unknown", []  # `git switch`, `git merge`, ...: the .dvc files move
    if method == "reset" and (is_git_cmd(target, names) or _is_head_ref(target, names) or is_index(target, names)):
        if _resets_work_tree(call, is_git_cmd(target, names)):
            return "reset-hard", "unknown", []
        return None
    if method == "stash" and is_git_cmd(target, names):
        return "stash", "unknown", []
    if (method == "clone_from" and any(dotted(target) == c for c in names.repo_ctor_names)) or (
        method == "clone" and is_repo(target, names)
    ):
        return "clone", "unknown", []
    if method == "diff" and expr_kind(target, names) == "commits":
        return "commit-diff", "unknown", []
    if method == "checkout" and (is_git_cmd(target, names) or is_index(target, names)):
        split = checkout_split(call, is_index(target, names))
        if split is None:
            return "checkout", "unknown", []
        _, paths = split
        kind = classify_paths(paths, consts, globs, folders)
        return "checkout-paths", kind, [p for p in _flatten(paths, consts) if classify_expr(p, consts, globs, folders) == "data"]
    if method == "commit" and is_git_cmd(target, names):
        flags = [string_value(a.value) or "" for a in call.args if a.keyword is None]
        keywords = {a.keyword.value for a in call.args if a.keyword is not None and code(a.value) == "True"}
        if keywords & {"a", "all", "am"} or any(re.match(r"^-[a-zA-Z]*a[a-zA-Z]*$", f) or f == "--all" for f in flags):
            return "commit-all", "unknown", []
        return None
    if (method == "rm" and is_git_cmd(target, names)) or (method == "remove" and is_index(target, names)):
        paths = [a.value for a in call.args if (a.keyword is None or a.keyword.value == "items") and not (
            string_value(a.value) or "").startswith("-")]
        kind = classify_paths(paths, consts, globs, folders)
        return "remove", kind, [p for p in _flatten(paths, consts) if classify_expr(p, consts, globs, folders) == "data"]
    if method == "mv" and is_git_cmd(target, names):
        paths = [a.value for a in call.args if a.keyword is None and not (string_value(a.value) or "").startswith("-")]
        kind = classify_paths(paths[:1], consts, globs, folders)
        return "move", kind, [p for p in paths[:1] if classify_expr(p, consts, globs, folders) == "data"]
    if method == "diff" and is_git_cmd(target, names):
        # `git.diff(None, name_only=True)`: GitPython drops a None argument (the work tree).
        flags = [string_value(a.value) for a in call.args if a.keyword is None and code(a.value) != "None"]
        keywords = {a.keyword.value for a in call.args if a.keyword is not None}
        name_only = "--name-only" in flags or "name_only" in keywords
        others = [f for f in flags if f not in ("--name-only", "--cached", "--staged")]
        if name_only and not others and keywords <= {"name_only", "cached", "staged"}:
            return "diff-names", "unknown", []
        revisions = [a for a in call.args if a.keyword is None and not (string_value(a.value) or "").startswith("-")]
        cut = next((i for i, a in enumerate(call.args) if string_value(a.value) == "--"), None)
        if cut is not None:
            revisions = [a for a in revisions if call.args.index(a) < cut]
        if len(revisions) == 2 or (len(revisions) == 1 and ".." in (string_value(revisions[0].value) or "")):
            return "diff-revs", "unknown", []  # `git diff v1 v2 --stat`: two versions of the data
        if len(revisions) == 1:
            return "diff-work-tree", "unknown", []  # `git diff REV`: a version against the work tree
        return None
    if method == "status" and is_git_cmd(target, names):
        flags = {string_value(a.value) for a in call.args if a.keyword is None}
        keywords = {a.keyword.value for a in call.args if a.keyword is not None and code(a.value) == "True"}
        if flags & {"--porcelain", "-s", "--short"} or keywords & {"porcelain", "short", "s"}:
            return "status", "unknown", []
        return None
    if method == "log" and is_git_cmd(target, names):
        positional = [a.value for a in call.args if a.keyword is None]
        values = [string_value(v) for v in positional]
        paths = positional[values.index("--") + 1:] if "--" in values else []
        if paths:
            kind = classify_paths(paths, consts, globs, folders)
            return "log", kind, [p for p in _flatten(paths, consts) if classify_expr(p, consts, globs, folders) == "data"]
        return None
    if method == "iter_commits" and is_repo(target, names):
        paths = [a.value for i, a in enumerate(call.args) if (a.keyword is None and i == 1) or (
            a.keyword is not None and a.keyword.value == "paths")]
        if paths:
            kind = classify_paths(paths, consts, globs, folders)
            return "history", kind, [p for p in _flatten(paths, consts) if classify_expr(p, consts, globs, folders) == "data"]
        return None
    if method == "diff" and is_index(target, names):
        args = [code(a.value) for a in call.args if a.keyword is None]
        if args == ["None"]:
            return "diff", "unknown", []
    return None


# git commands that move the work tree to other versions of the (.dvc) files.
_MOVES_WORK_TREE = frozenset({"switch", "merge", "revert", "cherry_pick", "rebase"})


def _is_head_ref(expr: cst.BaseExpression, names: GitNames) -> bool:
    """`repo.head` (HEAD), whose reset() moves the branch."""
    return isinstance(expr, cst.Attribute) and expr.attr.value == "head" and is_repo(expr.value, names)


def _resets_work_tree(call: cst.Call, git_cmd: bool) -> bool:
    """`git reset --hard` / `head.reset(working_tree=True)`: the work tree takes the reset version."""
    if git_cmd:
        return any(string_value(a.value) == "--hard" or (
            a.keyword is not None and a.keyword.value == "hard" and code(a.value) == "True") for a in call.args)
    return any(a.keyword is not None and a.keyword.value == "working_tree" and code(a.value) != "False" for a in call.args)


def checkout_split(call: cst.Call, on_index: bool) -> tuple[list[cst.BaseExpression], list[cst.BaseExpression]] | None:
    """(revision arguments, path arguments) of a checkout of paths; None for a branch/commit checkout."""
    if on_index:
        paths = [a.value for a in call.args if a.keyword is None or a.keyword.value == "paths"]
        return ([], paths) if paths else None
    if any(a.keyword is not None for a in call.args):
        return None
    positional = [a.value for a in call.args]
    values = [string_value(v) for v in positional]
    if "--" in values:
        cut = values.index("--")
        return positional[:cut], positional[cut + 1:]
    if len(positional) >= 2 and not any((v or "").startswith("-") for v in values):
        return positional[:1], positional[1:]
    return None


def _flatten(paths: list[cst.BaseExpression], consts: Constants) -> list[cst.BaseExpression]:
    out: list[cst.BaseExpression] = []
    for p in paths:
        items = path_items(p, consts)
        out.extend(items if items is not None else [p])
    return out


def data_ops(module: cst.Module, globs: tuple[str, ...] = (), folders: tuple[str, ...] | None = None) -> list[GitOp]:
    """The operations that (may) touch data: what the translation rewrites."""
    return [op for op in find_git_ops(module, globs, folders) if op.kind != "code"]


def data_folders(module: cst.Module, globs: tuple[str, ...] = (), consts: Constants | None = None) -> tuple[str, ...]:
    """Folders the script keeps data files in (`open(f"shards/part-{i}.csv", "w")`, `np.save("arrays/x.npy",
    ...)`, `repo.index.add(["blobs/a.bin"])`): their content is data even when the folder's name does not
    say so, so that `git add shards` versions it as data. Empty with explicit `--option data`."""
    if globs:
        return ()
    consts = consts or Constants(module)
    found: list[str] = []
    for node in iter_path_expressions(module):
        pattern = path_pattern(node, consts)
        if pattern and ":" in pattern and "://" not in pattern:
            pattern = pattern.split(":", 1)[1]  # `git show REV:PATH`
        if not pattern or "/" not in pattern or pattern.startswith(("/", "~")) or "://" in pattern:
            continue
        folder, _, leaf = pattern.rpartition("/")
        folder = folder.removeprefix("./")
        if "*" in folder or not folder or folder.startswith(".") or ".." in folder.split("/"):
            continue
        if leaf.lower().endswith(DATA_EXTENSIONS) and folder not in found:
            found.append(folder)
    return tuple(sorted(found))


_PATH_CALLS = ("path.join", "Path", "PurePath", "PosixPath", "joinpath")


def iter_path_expressions(module: cst.Module):
    """Expressions that may spell a file path: strings, f-strings, `os.path.join(...)`, `Path(...)`, `a / b`
    (outermost only: the parts of a join are not paths of their own)."""
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
            yield node
            continue
        if isinstance(node, cst.Call) and (dotted(node.func) or "").endswith(_PATH_CALLS):
            yield node
            continue
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            yield node
            continue
        stack.extend(reversed(node.children))


_LISTING_CALLS = frozenset({"listdir", "scandir", "walk", "iterdir", "glob", "iglob", "rglob"})


def lists_data_folders(module: cst.Module, globs: tuple[str, ...] = (), folders: tuple[str, ...] | None = None) -> bool:
    """Whether the script lists the content of a data folder (or of a folder not known statically).

    Then the translation tracks data folders as a whole, so the listing shows no .dvc files.
    """
    consts = Constants(module)
    if folders is None:
        folders = data_folders(module, globs, consts)
    for call in calls_in(module, lambdas=True):
        name = dotted(call.func) or ""
        method = name.rsplit(".", 1)[-1] if name else (
            call.func.attr.value if isinstance(call.func, cst.Attribute) else "")
        if method not in _LISTING_CALLS:
            continue
        if method in ("iterdir", "glob", "rglob") and isinstance(call.func, cst.Attribute) and name not in (
            "glob.glob", "glob.iglob"
        ):
            folder = path_pattern(call.func.value, consts)
            pattern = string_value(call.args[0].value) if call.args else ""
        else:
            args = [a.value for a in call.args if a.keyword is None]
            folder = path_pattern(args[0], consts) if args else "."
            pattern = ""
            if method in ("glob", "iglob") and folder:
                folder, _, pattern = folder.rpartition("/")
        if pattern and re.search(r"\.[A-Za-z0-9]+$", pattern):
            continue  # `*.csv` never matches a .dvc file
        if folder is None or "*" in folder or folder in ("", ".") or is_data_path(folder.rstrip("/") + "/", globs, folders):
            return True
    return False
