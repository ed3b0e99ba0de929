"""Statements of a script that act on the world (files, commits, uploads, model saves): a trial must not repeat them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from mlops_adapt.analysis.exprs import (
    body_start,
    call_name,
    calls_in,
    code,
    iter_nodes,
    last_name,
    statement_lists,
    string_value,
)

# Calls that write files or models, whatever they are called on.
WRITES = frozenset({
    "to_csv", "to_json", "to_parquet", "to_pickle", "to_excel", "to_hdf", "to_feather", "to_sql",
    "savefig", "imsave", "imwrite", "savetxt", "savez", "savez_compressed", "save_model",
    "save_pretrained", "save_weights", "write_text", "write_bytes", "export_graphviz", "export",
})
# `np.save`, `torch.save`, `model.save("m.keras")`, `joblib.dump(model, path)`, `pickle.dump(obj, f)`.
SAVES = frozenset({"save", "dump"})
UPLOADS = frozenset({"upload_file", "upload_fileobj", "put_object", "push_to_hub", "upload", "upload_folder"})
PROCESSES = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                       "subprocess.Popen", "os.system", "os.popen", "check_call", "check_output"})
# GitPython: `repo.index.add(...)`, `repo.index.commit(...)`, `repo.git.commit(...)`, `origin.push()`.
GIT_METHODS = frozenset({"commit", "push", "add", "tag", "create_tag", "pull", "checkout", "merge", "reset"})
GIT_RECEIVERS = ("index", "git", "remote", "origin", "repo")
# Calls that read a file back: a path written and read again is state the run needs.
READS = frozenset({"load", "read_csv", "read_json", "read_parquet", "read_pickle", "loadtxt", "load_model",
                   "from_pretrained", "read_text", "read_bytes", "load_state_dict"})
# Keywords that name a file a call reads: `lgb.Booster(model_file="model.txt")`, `xgb.Booster(model_file=...)`.
READ_KEYWORDS = frozenset({"model_file", "fname", "filename", "filepath", "file_path", "checkpoint_path",
                           "init_model", "xgb_model"})  # continued boosting from a saved model (LightGBM, xgboost)


@dataclass(frozen=True)
class SideEffects:
    """Statements to run only outside trials (ids of CST statements), or why the script cannot be tuned."""

    statements: frozenset[int]
    refusal: str | None = None
    # Paths the script writes and reads back (a checkpoint): kept in trials, but each trial's copy
    # goes to a scratch folder (see scratch_paths).
    read_back: tuple[str, ...] = ()


def effect_of(call: cst.Call) -> str | None:
    """What a call does to the world ("writes a file", "runs a process", ...) or None."""
    name = last_name(call) or ""
    full = call_name(call) or ""
    if full in PROCESSES or (full.startswith("subprocess.") and name[:1].islower()):
        return "runs a process"
    if name in WRITES:
        return "writes a file"
    if name in SAVES and (len(call.args) >= 2 or any(_pathlike(a.value) for a in call.args)):
        return "saves a file"
    if name in UPLOADS:
        return "uploads"
    receiver_parts = full.rsplit(".", 1)[0].split(".") if "." in full else []
    if name in GIT_METHODS and any(p in GIT_RECEIVERS or p.endswith("repo") for p in receiver_parts):
        return "changes a git repository"
    if name == "open" and _write_mode(call):
        return "writes a file"
    return None


def _pathlike(expr: cst.BaseExpression) -> bool:
    text = string_value(expr)
    return bool(text) and ("." in text or "/" in text)


def _write_mode(call: cst.Call) -> bool:
    mode = call.args[1].value if len(call.args) > 1 and call.args[1].keyword is None else None
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "mode":
            mode = arg.value
    text = string_value(mode) if mode is not None else None
    return bool(text) and any(c in text for c in "wax+")


def find_side_effects(module: cst.Module) -> SideEffects:
    """Top statements (of any block) whose calls act on the world, to be skipped while a trial runs.

    A `with open(path, "w") as f:` block is one such statement. A handle kept open for writing
    (`log = open("log.txt", "w")`) and a file written and read back (a checkpoint restored after
    training) cannot be skipped: the script is refused instead."""
    found: set[int] = set()
    written: list[tuple[int, str]] = []
    for stmt in iter_nodes(module, skip=(cst.BaseExpression,)):
        if isinstance(stmt, cst.With):
            if any(isinstance(i.item, cst.Call) and effect_of(i.item) for i in stmt.items):
                found.add(id(stmt))
                written += [(id(stmt), _target_of(i.item)) for i in stmt.items if isinstance(i.item, cst.Call)]
            continue
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        effects = [c for c in calls_in(stmt, lambdas=True) if effect_of(c)]
        if not effects or _inside(module, stmt, found):
            continue
        if not all(isinstance(small, cst.Expr) for small in stmt.body):
            what = effects[0]
            return SideEffects(frozenset(), (
                f"`{code(stmt).strip()}` {effect_of(what)} and keeps the result; a trial cannot skip it, and "
                "running it in every trial repeats it"
            ))
        found.add(id(stmt))
        written += [(id(stmt), _target_of(c)) for c in effects]
    reads = _read_paths(module)
    private = {path for _, path in written if path and _private_scratch(module, path)}
    read_back = {path for _, path in written if path and path in reads and path not in private}
    # `torch.save(state, self.path)` with `path="checkpoint.pt"` as a default, then
    # `torch.load("checkpoint.pt")`: a literal read back that the script also names elsewhere.
    literals = [code(n) for n in iter_nodes(module) if isinstance(n, cst.SimpleString)]
    named_twice = {r for r in reads if _is_literal(r) and literals.count(r) > 1}
    if named_twice:
        read_back |= {path for _, path in written if path and not _is_literal(path) and path not in private}
    kept = found - {stmt for stmt, path in written if path in read_back or path in private}
    return SideEffects(frozenset(kept), read_back=tuple(sorted(read_back)))


def _inside(module: cst.Module, stmt: cst.CSTNode, found: set[int]) -> bool:
    """The statement lies in a block already skipped whole (a `with open(...)` body)."""
    for node in iter_nodes(module, skip=(cst.BaseExpression,)):
        if id(node) in found and any(n is stmt for n in iter_nodes(node)):
            return True
    return False


def _target_of(call: cst.Call) -> str:
    """The path a writing call writes (its path-like argument, as code), or ""."""
    args = [a for a in call.args if a.keyword is None]
    name = last_name(call) or ""
    if name in SAVES and len(args) >= 2:
        return code(args[1].value)
    return code(args[0].value) if args else ""


def _read_paths(module: cst.Module) -> set[str]:
    return {code(arg.value) for _, arg in _path_reads(module)}


def _path_reads(module: cst.Module) -> list[tuple[cst.Call, cst.Arg]]:
    """(call, the argument naming the file) for each call that reads a file."""
    found: list[tuple[cst.Call, cst.Arg]] = []
    for call in calls_in(module, lambdas=True):
        name = last_name(call) or ""
        args = [a for a in call.args if a.keyword is None]
        if name in READS and args or name == "open" and args and not _write_mode(call):
            found.append((call, args[0]))
        elif not effect_of(call):
            found += [(call, a) for a in call.args if a.keyword is not None and a.keyword.value in READ_KEYWORDS]
    found += _written_files_passed_on(module, {id(arg) for _, arg in found})
    return found


def _written_files_passed_on(module: cst.Module, seen: set[int]) -> list[tuple[cst.Call, cst.Arg]]:
    """`df.to_csv(f"{DIR}/val.csv")` then `CsvDataset(f"{DIR}/val.csv")`: a file the script writes and hands,
    by the same spelled-out name, to its own reader is data the run needs, read back like a checkpoint."""
    calls = calls_in(module, lambdas=True)
    written = {_target_of(c) for c in calls if effect_of(c) in ("writes a file", "saves a file")}
    written = {w for w in written if w and _spelled_file(w)}
    return [
        (call, a) for call in calls if not effect_of(call) and (last_name(call) or "") != "trial_path"
        for a in call.args if a.keyword is None and id(a) not in seen and code(a.value) in written
    ]


def _spelled_file(path: str) -> bool:
    """A path written out as a string or f-string with a file name (`"data/val.csv"`, `f"{d}/val.csv"`)."""
    try:
        expr = cst.parse_expression(path)
    except cst.ParserSyntaxError:
        return False
    return isinstance(expr, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)) and re.search(
        r"\.\w+['\"]$", path) is not None


def path_arguments(module: cst.Module, path: str) -> list[cst.Arg]:
    """The arguments that name `path` (as code) where the script writes it and where it reads it back."""
    found = [arg for _, arg in _path_reads(module) if code(arg.value) == path]
    for call in calls_in(module, lambdas=True):
        if not effect_of(call):
            continue
        args = [a for a in call.args if a.keyword is None]
        name = last_name(call) or ""
        written = args[1] if name in SAVES and len(args) >= 2 else args[0] if args else None
        if written is not None and code(written.value) == path:
            found.append(written)
    return found


def passed_path_reads(module: cst.Module, path: str) -> list[cst.Arg]:
    """`torch.save(..., self.filepath)` in a class built as `ModelCheckpoint("best.pt")`, then `torch.load("best.pt")`:
    the reads of each string literal that a constructor call of the saving class is given."""
    match = re.fullmatch(r"self\.([A-Za-z_]\w*)", path)
    if match is None:
        return []
    savers = {
        cls.name.value for cls in iter_nodes(module, skip=(cst.BaseExpression,))
        if isinstance(cls, cst.ClassDef)
        and any(effect_of(c) and _target_of(c) == path for c in calls_in(cls.body))
    }
    literals = {
        code(a.value) for call in calls_in(module, lambdas=True) if (last_name(call) or "") in savers
        for a in call.args if string_value(a.value)
    }
    return [arg for _, arg in _path_reads(module) if code(arg.value) in literals]


def scratch_anchor(module: cst.Module, path: str) -> tuple[cst.CSTNode, str] | None:
    """Where a checkpoint path is set, so that a trial can point it elsewhere: after `args = parser.parse_args()`
    for `args.save`, after `ckpt = "best.pt"` for `ckpt`; None when it is a literal or set elsewhere."""
    target = path.split(".")[0]
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)?", path):
        return None
    found = []
    for stmt in iter_nodes(module, skip=(cst.BaseExpression,)):
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        small = stmt.body[0]
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            continue
        if code(small.targets[0].target) != target:
            continue
        if "." in path and not (isinstance(small.value, cst.Call) and last_name(small.value) == "parse_args"):
            continue
        found.append((stmt, "after"))
    if not found and "." not in path:
        # `def train(model, ckpt="best.pt"):`: a parameter, pointed elsewhere where the function starts.
        for func in iter_nodes(module, skip=(cst.BaseExpression,)):
            if isinstance(func, cst.FunctionDef) and isinstance(func.body, cst.IndentedBlock) and any(
                p.name.value == target for p in [*func.params.params, *func.params.kwonly_params]
            ):
                first, where = body_start(list(func.body.body))
                found.append((first, where))
    return found[0] if len(found) == 1 else None


def scratch_statement(path: str, trial: str) -> str:
    """The guarded assignment that sends a trial's checkpoint to a scratch folder."""
    return (
        f"if {trial} is not None and not isinstance({trial}, optuna.trial.FixedTrial):\n"
        "    # A trial keeps its checkpoint in a scratch folder: the script's own file is written by the final run.\n"
        f"    {path} = os.path.join(tempfile.mkdtemp(), os.path.basename({path}))\n"
    )


_SCRATCH = re.compile(r"BytesIO|StringIO|tempfile|TemporaryDirectory|mkdtemp|mkstemp|NamedTemporaryFile")


def _private_scratch(module: cst.Module, path: str) -> bool:
    """An in-memory buffer or a temporary folder (`buf = io.BytesIO()`, `with TemporaryDirectory() as tmp:`):
    writing there is the run's own business, not a side effect."""
    if _SCRATCH.search(path):
        return True
    roots = set(re.findall(r"[A-Za-z_]\w*", path))
    for _ in range(3):  # `ckpt = os.path.join(tmp, "best.pt")` with `tmp = tempfile.mkdtemp()`
        more: set[str] = set()
        for node in iter_nodes(module, skip=(cst.BaseExpression,)):
            if isinstance(node, cst.SimpleStatementLine):
                for small in node.body:
                    if not isinstance(small, (cst.Assign, cst.AnnAssign)) or small.value is None:
                        continue
                    for target, value in _paired(small):
                        if code(target) in roots:
                            if _SCRATCH.search(code(value)):
                                return True
                            more |= set(re.findall(r"[A-Za-z_]\w*", code(value)))
            elif isinstance(node, cst.With):
                for item in node.items:
                    if item.asname is not None and code(item.asname.name) in roots and _SCRATCH.search(code(item.item)):
                        return True
        if more <= roots:
            break
        roots |= more
    return False


def _paired(small: cst.Assign | cst.AnnAssign) -> list[tuple[cst.CSTNode, cst.BaseExpression]]:
    """(target, the value it receives): `best, ckpt = inf, os.path.join(...)` pairs element by element."""
    pairs = []
    for target in _targets(small):
        value = small.value
        if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements):
            pairs += [(t.value, v.value) for t, v in zip(target.elements, value.elements)]
        else:
            pairs.append((target, value))
    return pairs


def _targets(small: cst.Assign | cst.AnnAssign) -> list[cst.CSTNode]:
    return [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]


def _is_literal(text: str) -> bool:
    try:
        return string_value(cst.parse_expression(text)) is not None
    except cst.ParserSyntaxError:
        return False


@dataclass(frozen=True)
class HelperCheckpoint:
    """A checkpoint saved by a helper class under a path its constructor defaults (`EarlyStopping(path=
    "checkpoint.pt")` saving to `self.path`) and read back by that literal (`torch.load("checkpoint.pt")`)."""

    init_start: tuple[cst.CSTNode, str]  # where the constructor's body starts, to point the path elsewhere
    parameter: str  # the constructor's path parameter
    reads: tuple[tuple[cst.CSTNode, str], ...]  # (statement reading the literal, the same read from the instance)


def helper_checkpoint(module: cst.Module, path: str) -> HelperCheckpoint | None:
    """The helper-class shape of a read-back checkpoint, when `path` is `self.<attribute>` of one class."""
    match = re.fullmatch(r"self\.([A-Za-z_]\w*)", path)
    if match is None:
        return None
    attribute = match.group(1)
    for cls in module.body:
        if not isinstance(cls, cst.ClassDef) or not isinstance(cls.body, cst.IndentedBlock):
            continue
        init = next((f for f in cls.body.body if isinstance(f, cst.FunctionDef) and f.name.value == "__init__"), None)
        if init is None or not isinstance(init.body, cst.IndentedBlock):
            continue
        saves = any(
            effect_of(c) and _target_of(c) == path for f in cls.body.body if isinstance(f, cst.FunctionDef)
            for c in calls_in(f)
        )
        parameter = _stored_parameter(init, attribute)
        if not saves or parameter is None or not string_value(parameter.default):
            continue
        literal = code(parameter.default)
        reads = tuple(
            (stmt, code(stmt).strip().replace(literal, f"{holder}.{attribute}"))
            for stmt, holder in _literal_reads(module, literal, cls.name.value)
        )
        if not reads:
            return None
        return HelperCheckpoint(body_start(list(init.body.body)), parameter.name.value, reads)
    return None


def _stored_parameter(init: cst.FunctionDef, attribute: str) -> cst.Param | None:
    """The parameter that `self.<attribute> = <parameter>` stores, with its default."""
    params = {p.name.value: p for p in [*init.params.params, *init.params.kwonly_params] if p.default is not None}
    for node in iter_nodes(init.body):
        if (
            isinstance(node, cst.Assign) and len(node.targets) == 1 and code(node.targets[0].target) == f"self.{attribute}"
            and isinstance(node.value, cst.Name) and node.value.value in params
        ):
            return params[node.value.value]
    return None


def _literal_reads(module: cst.Module, literal: str, cls: str) -> list[tuple[cst.CSTNode, str]]:
    """Statements that read `literal` back, each with the one variable of its block holding an instance of `cls`."""
    found: list[tuple[cst.CSTNode, str]] = []
    for body in statement_lists(module):
        holders = {
            code(small.targets[0].target)
            for stmt in body if isinstance(stmt, cst.SimpleStatementLine)
            for small in stmt.body
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
            and isinstance(small.value, cst.Call) and call_name(small.value) == cls
        }
        for stmt in body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            reads = [c for c in calls_in(stmt) if last_name(c) in READS and any(code(a.value) == literal for a in c.args)]
            if reads and len(holders) == 1:
                found.append((stmt, next(iter(holders))))
    return found
