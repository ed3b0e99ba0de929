"""Statements of a script that act on the world (files, commits, uploads, model saves): a trial must not repeat them."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from mlops_adapt.analysis.exprs import call_name, calls_in, code, iter_nodes, last_name, string_value

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


@dataclass(frozen=True)
class SideEffects:
    """Statements to run only outside trials (ids of CST statements), or why the script cannot be tuned."""

    statements: frozenset[int]
    refusal: str | None = None


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
    written: list[str] = []
    for stmt in iter_nodes(module, skip=(cst.BaseExpression,)):
        if isinstance(stmt, cst.With):
            if any(isinstance(i.item, cst.Call) and effect_of(i.item) for i in stmt.items):
                found.add(id(stmt))
                written += [_target_of(i.item) for i in stmt.items if isinstance(i.item, cst.Call)]
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
        written += [_target_of(c) for c in effects]
    read_back = _read_paths(module) & {w for w in written if w}
    if read_back:
        path = sorted(read_back)[0]
        return SideEffects(frozenset(), (
            f"the script saves `{path}` and reads it back (a checkpoint), so its saves cannot be skipped in "
            "trials, and every trial would overwrite it"
        ))
    return SideEffects(frozenset(found))


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
    found: set[str] = set()
    for call in calls_in(module, lambdas=True):
        name = last_name(call) or ""
        args = [a for a in call.args if a.keyword is None]
        if name in READS and args:
            found.add(code(args[0].value))
        elif name == "open" and args and not _write_mode(call):
            found.add(code(args[0].value))
    return found
