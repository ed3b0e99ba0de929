"""Recipe translate-gitpython-dvc: data files versioned with DVC instead of GitPython, code stays in git."""

from __future__ import annotations

import textwrap

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from mlops_adapt.analysis import gitpython as gp
from mlops_adapt.analysis.exprs import code, string_value
from mlops_adapt.tasks.translate_gitpython_dvc import SPEC
from mlops_adapt.transforms.base import Example, Recipe, SkipFile, Unsupported

# The helpers a translated script may get, each: (source, helpers it calls, imports it needs).
# They are plain DVC API calls; the recipe adds only the ones the script uses.
_HELPERS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "dvc_is_data": (
        '''
def dvc_is_data(path):
    """Whether a repository-relative path names data that DVC versions (not code)."""
    rel = os.fspath(path).replace(os.sep, "/")
    while rel.startswith("./"):
        rel = rel[2:]
    rel = rel.rstrip("/")
    if not rel or rel == "." or rel.endswith((".dvc", ".gitignore", ".dvcignore", ".gitattributes")):
        return False
    if DVC_DATA_GLOBS:
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel + "/", g) for g in DVC_DATA_GLOBS)
    lower = rel.lower()
    if lower.endswith(DVC_DATA_EXTENSIONS):
        return True
    if lower.endswith(DVC_CODE_EXTENSIONS):
        return False
    name = lower.rsplit("/", 1)[-1]
    if name.endswith((".txt", ".json", ".xml")) and re.fullmatch(DVC_DATA_NAME_PATTERN, name.rsplit(".", 1)[0]):
        return True
    if name.endswith(".txt") and not re.fullmatch(DVC_TEXT_NOT_DATA_PATTERN, name.rsplit(".", 1)[0]):
        return True
    if any(rel == f or rel.startswith(f + "/") for f in DVC_DATA_FOLDERS):
        return True
    return any(p in DVC_DATA_DIRS or re.fullmatch(DVC_DATA_DIR_PATTERN, p) for p in lower.split("/"))
''',
        (),
        ("os", "fnmatch", "re"),
    ),
    "dvc_git_repo": (
        '''
def dvc_git_repo(obj):
    """The git.Repo behind a GitPython repository, index, command, remote or commit object."""
    if isinstance(obj, git.Repo):
        return obj
    if hasattr(obj, "repo"):
        return obj.repo
    return git.Repo(obj.working_dir)
''',
        (),
        ("git",),
    ),
    "dvc_repo": (
        '''
def dvc_repo(repo, index=None):
    """The DVC repository beside a git repository, initialised (its files staged) when missing."""
    root = repo.working_tree_dir
    if not os.path.isdir(os.path.join(root, ".dvc")):
        dvc.repo.Repo.init(root)
        (index or repo.index).add([".dvc/config", ".dvc/.gitignore", ".dvcignore"])
    return dvc.repo.Repo(root)
''',
        (),
        ("os", "dvc.repo"),
    ),
    "dvc_owner": (
        '''
def dvc_owner(root, rel):
    """What DVC tracks for `rel`: a folder DVC tracks already, its topmost data folder when data
    folders are tracked as a whole, or the file itself."""
    parts = rel.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if os.path.exists(os.path.join(root, folder + ".dvc")):
            return folder
        if DVC_TRACK_FOLDERS and dvc_is_data(folder + "/"):
            return folder
    return rel
''',
        ("dvc_is_data",),
        ("os",),
    ),
    "dvc_data_in": (
        '''
def dvc_data_in(repo, folder):
    """Data under a work-tree folder (data folders as a whole) that git does not ignore or DVC tracks."""
    root = repo.working_tree_dir
    found = []
    for here, dirs, files in os.walk(os.path.join(root, folder)):
        rel_here = os.path.relpath(here, root).replace(os.sep, "/")
        prefix = "" if rel_here == "." else rel_here + "/"
        kept = []
        for name in sorted(dirs):
            rel = prefix + name
            if name.startswith(".") or name in ("__pycache__", "venv", "node_modules"):
                continue
            if os.path.exists(os.path.join(root, rel + ".dvc")) or (
                DVC_TRACK_FOLDERS and dvc_is_data(rel + "/")
            ):
                found.append(rel)
            else:
                kept.append(name)
        dirs[:] = kept
        found.extend(prefix + name for name in sorted(files) if dvc_is_data(prefix + name))
    ignored = set(repo.ignored(*found)) if found else set()
    return [p for p in found if p not in ignored or os.path.exists(os.path.join(root, p + ".dvc"))]
''',
        ("dvc_is_data",),
        ("os",),
    ),
    "dvc_add": (
        '''
def dvc_add(target, paths):
    """`git add` for data: DVC versions data paths and git stages their .dvc file and .gitignore."""
    repo = dvc_git_repo(target)
    index = target if isinstance(target, git.IndexFile) else repo.index
    root = repo.working_tree_dir
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    data, files, folders = [], [], []
    for path in paths:
        full = os.path.join(root, os.fspath(path))
        matches = sorted(glob.glob(full)) if glob.has_magic(full) else [full]
        for match in matches:
            rel = os.path.relpath(match, root).replace(os.sep, "/")
            tracked_inside = os.path.isdir(match) and any(
                name.endswith(".dvc") for _, _, names in os.walk(match) for name in names
            )
            if dvc_is_data(rel) and not tracked_inside:
                data.append(dvc_owner(root, rel))
            elif os.path.isdir(match):  # its files one by one, as DVC already tracks some of them
                data.extend(dvc_data_in(repo, rel))
                folders.append(rel)
            else:
                files.append(rel)
    if data:
        data = sorted(set(data))
        # Absolute paths: DVC resolves relative ones against the process cwd, not the repo root.
        dvc_repo(repo, index).add([os.path.join(root, rel) for rel in data])
        staged = []
        for rel in data:
            ignore = os.path.join(os.path.dirname(rel), ".gitignore")
            staged += [p for p in (rel + ".dvc", ignore) if os.path.exists(os.path.join(root, p))]
        index.add(staged)
    if files:
        index.add(files)
    if folders:
        repo.git.add("--", *folders)  # the git CLI honours .gitignore, so DVC's data stays out
''',
        ("dvc_git_repo", "dvc_is_data", "dvc_owner", "dvc_data_in", "dvc_repo"),
        ("os", "glob", "git"),
    ),
    "dvc_add_all": (
        '''
def dvc_add_all(target):
    """Before `git add --all`: version every data file of the work tree with DVC."""
    repo = dvc_git_repo(target)
    found = dvc_data_in(repo, ".")
    if found:
        dvc_add(target, found)
''',
        ("dvc_git_repo", "dvc_data_in", "dvc_add"),
        (),
    ),
    "dvc_changes": (
        '''
def dvc_changes(target, path=None):
    """{file: "modified" | "added" | "deleted"} for DVC-tracked data that differs from its .dvc file."""
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    if not os.path.isdir(os.path.join(root, ".dvc")):
        return {}
    changes = {}
    uncommitted = dvc_repo(repo).data_status(granular=True)["uncommitted"]
    for state in ("modified", "added", "deleted"):
        for rel in uncommitted.get(state, []):
            if not rel.endswith("/"):  # a folder's own entry; its files are listed too
                changes[rel] = state
    if path is not None:
        want = os.path.relpath(os.path.join(root, os.fspath(path)), root).replace(os.sep, "/")
        changes = {k: v for k, v in changes.items() if k == want or k.startswith(want + "/")}
    return dict(sorted(changes.items()))
''',
        ("dvc_git_repo", "dvc_repo"),
        ("os",),
    ),
    "dvc_dirty": (
        '''
def dvc_dirty(target, path=None, untracked_files=False):
    """Whether DVC-tracked data changed: git sees only the .dvc files, DVC sees the data."""
    states = set(dvc_changes(target, path).values())
    return bool(states & {"modified", "deleted"}) or (untracked_files and "added" in states)
''',
        ("dvc_changes",),
        (),
    ),
    "dvc_untracked": (
        '''
def dvc_untracked(target, untracked):
    """`repo.untracked_files` plus new files inside folders that DVC tracks (git ignores those)."""
    added = [rel for rel, state in dvc_changes(target).items() if state == "added"]
    return sorted(set(untracked) | set(added))
''',
        ("dvc_changes",),
        (),
    ),
    "dvc_with_changes": (
        '''
def dvc_with_changes(target, diffs):
    """`index.diff(None)` plus the DVC-tracked files that changed, sorted by path as git sorts."""
    extra = [
        types.SimpleNamespace(
            a_path=rel, b_path=rel, change_type="D" if state == "deleted" else "M",
            deleted_file=state == "deleted", new_file=False, renamed_file=False,
        )
        for rel, state in dvc_changes(target).items()
        if state != "added"
    ]
    return sorted(list(diffs) + extra, key=lambda d: d.a_path or d.b_path)
''',
        ("dvc_changes",),
        ("types",),
    ),
    "dvc_show": (
        '''
def dvc_show(target, spec):
    """`git show REV:PATH`: an old version of DVC-tracked data is read with dvc.api.read."""
    repo = dvc_git_repo(target)
    rev, sep, path = str(spec).partition(":")
    if not sep or not dvc_is_data(path):
        return repo.git.show(spec)
    try:
        text = dvc.api.read(path, repo=repo.working_tree_dir, rev=rev or "HEAD")
    except Exception as err:  # as `git show` fails for a missing path, so does this
        raise git.GitCommandError(["git", "show", spec], 128, str(err)) from err
    return text[:-1] if text.endswith("\\n") else text  # GitPython strips the final newline
''',
        ("dvc_git_repo", "dvc_is_data"),
        ("dvc.api", "git"),
    ),
    "dvc_blob": (
        '''
def dvc_blob(commit, path):
    """`commit.tree / PATH` for DVC-tracked data: a blob-like object whose data_stream reads it."""
    if not dvc_is_data(path):
        return commit.tree / path
    rel = os.fspath(path)
    try:
        with dvc.api.open(rel, repo=commit.repo.working_tree_dir, rev=commit.hexsha, mode="rb") as handle:
            content = handle.read()
    except Exception as err:  # GitPython raises KeyError for a path missing from the tree
        raise KeyError(f"Blob or Tree named {rel!r} not found") from err
    return types.SimpleNamespace(
        data_stream=io.BytesIO(content), size=len(content), path=rel, name=os.path.basename(rel)
    )
''',
        ("dvc_is_data",),
        ("os", "io", "types", "dvc.api"),
    ),
    "dvc_checkout": (
        '''
def dvc_checkout(target):
    """After a git checkout: bring DVC-tracked data in line with the checked-out .dvc files."""
    repo = dvc_git_repo(target)
    if os.path.isdir(os.path.join(repo.working_tree_dir, ".dvc")):
        dvc_repo(repo).checkout(force=True)
''',
        ("dvc_git_repo", "dvc_repo"),
        ("os",),
    ),
    "dvc_checkout_paths": (
        '''
def dvc_checkout_paths(target, rev, paths):
    """`git checkout [REV] -- PATHS`: data comes back through its .dvc file (of REV), code through git."""
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    rels = [os.path.relpath(os.path.join(root, os.fspath(p)), root).replace(os.sep, "/") for p in paths]
    code = [rel for rel in rels if not dvc_is_data(rel)]
    revision = [rev] if rev is not None else []  # no revision: restore from the index
    if code:
        repo.git.checkout(*revision, "--", *code)
    for rel in (rel for rel in rels if dvc_is_data(rel)):
        owner = dvc_owner(root, rel)
        if owner == rel or rev is None:
            if rev is not None:
                repo.git.checkout(rev, "--", owner + ".dvc")
            dvc_repo(repo).checkout(os.path.join(root, owner + ".dvc"), force=True)
        else:
            with dvc.api.open(rel, repo=root, rev=rev, mode="rb") as src:
                content = src.read()
            with open(os.path.join(root, rel), "wb") as dst:
                dst.write(content)
            dvc_add(repo, [owner])  # git checkout stages what it restores; so does this
''',
        ("dvc_git_repo", "dvc_is_data", "dvc_owner", "dvc_repo", "dvc_add"),
        ("os", "dvc.api"),
    ),
    "dvc_push": (
        '''
def dvc_push(target):
    """After `git push`: push DVC-tracked data too. With no DVC remote configured the data
    stays in the local cache and a note goes to stderr (the git push above already ran)."""
    repo = dvc_git_repo(target)
    if not os.path.isdir(os.path.join(repo.working_tree_dir, ".dvc")):
        return
    data_repo = dvc_repo(repo)
    if not data_repo.config["core"].get("remote"):
        print("dvc push skipped: no DVC remote is configured", file=sys.stderr)
        return
    data_repo.push()
''',
        ("dvc_git_repo", "dvc_repo"),
        ("os", "sys"),
    ),
    "dvc_history_paths": (
        '''
def dvc_history_paths(target, paths):
    """Paths for a git history query: DVC-tracked data changes through its .dvc file."""
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    single = isinstance(paths, (str, os.PathLike))
    out = []
    for path in [paths] if single else paths:
        rel = os.path.relpath(os.path.join(root, os.fspath(path)), root).replace(os.sep, "/")
        out.append(dvc_owner(root, rel) + ".dvc" if dvc_is_data(rel) else path)
    return out[0] if single else out
''',
        ("dvc_git_repo", "dvc_is_data", "dvc_owner"),
        ("os",),
    ),
    "dvc_meta_file": (
        '''
def dvc_meta_file(root, rel):
    """Whether a path is DVC's bookkeeping in git: .dvc files, its config, .gitignore files of DVC."""
    if rel.startswith(".dvc/") or rel in (".dvc", ".dvcignore") or rel.endswith(".dvc"):
        return True
    if os.path.basename(rel) != ".gitignore":
        return False
    folder = os.path.dirname(os.path.join(root, rel))
    try:
        with open(os.path.join(root, rel)) as handle:
            entries = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    except OSError:
        return False
    return bool(entries) and all(os.path.exists(os.path.join(folder, e.strip("/") + ".dvc")) for e in entries)
''',
        (),
        ("os",),
    ),
    "dvc_status_lines": (
        '''
def dvc_status_lines(target, text):
    """`git status --porcelain` / `--short` output, with DVC-tracked data listed as git listed it."""
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    if not os.path.isdir(os.path.join(root, ".dvc")):
        return text
    entries = {line[3:]: line for line in text.splitlines() if not dvc_meta_file(root, line[3:])}
    status = dvc_repo(repo).data_status(granular=True)
    letters = {"modified": "M", "added": "A", "deleted": "D"}
    for column, key in ((0, "committed"), (1, "uncommitted")):
        for state, rels in status[key].items():
            for rel in rels:
                if rel.endswith("/"):
                    continue
                if key == "uncommitted" and state == "added":
                    entries[rel] = "?? " + rel
                    continue
                xy = list(entries.get(rel, "   ")[:2])
                xy[column] = letters[state]
                entries[rel] = "".join(xy) + " " + rel
    tracked = sorted((v for v in entries.values() if not v.startswith("??")), key=lambda v: v[3:])
    untracked = sorted((v for v in entries.values() if v.startswith("??")), key=lambda v: v[3:])
    return "\\n".join(tracked + untracked)
''',
        ("dvc_git_repo", "dvc_repo", "dvc_meta_file"),
        ("os",),
    ),
    "dvc_diff_names": (
        '''
def dvc_diff_names(target, text, staged=False):
    """`git diff --name-only [--cached]` output, with changed DVC-tracked data files listed too."""
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    if not os.path.isdir(os.path.join(root, ".dvc")):
        return text
    names = {line for line in text.splitlines() if not dvc_meta_file(root, line)}
    status = dvc_repo(repo).data_status(granular=True)["committed" if staged else "uncommitted"]
    for state, rels in status.items():
        if staged or state != "added":
            names.update(rel for rel in rels if not rel.endswith("/"))
    return "\\n".join(sorted(names))
''',
        ("dvc_git_repo", "dvc_repo", "dvc_meta_file"),
        ("os",),
    ),
    "dvc_remove": (
        '''
def dvc_remove(target, paths, keep_file=False):
    """`git rm [--cached]` for data: DVC stops tracking it and git drops its .dvc file; code as before."""
    repo = dvc_git_repo(target)
    index = target if isinstance(target, git.IndexFile) else repo.index
    root = repo.working_tree_dir
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    rels = [os.path.relpath(os.path.join(root, os.fspath(p)), root).replace(os.sep, "/") for p in paths]
    code = [rel for rel in rels if not dvc_is_data(rel)]
    if code:
        index.remove(code, working_tree=not keep_file, r=True)
    for rel in (rel for rel in rels if dvc_is_data(rel)):
        owner = dvc_owner(root, rel)
        if owner == rel:
            dvc_repo(repo).remove(os.path.join(root, rel + ".dvc"))
            index.remove([rel + ".dvc"], r=True)
            ignore = os.path.join(os.path.dirname(rel), ".gitignore")
            if os.path.exists(os.path.join(root, ignore)):
                index.add([ignore])
            elif any(entry.path == ignore for entry in index.entries.values()):
                index.remove([ignore])  # DVC deleted the .gitignore it had emptied
        if not keep_file:
            full = os.path.join(root, rel)
            if os.path.isdir(full):
                shutil.rmtree(full)
            elif os.path.exists(full):
                os.remove(full)
        if owner != rel:
            dvc_add(index, [owner])  # a folder DVC tracks as a whole: record it without the file
''',
        ("dvc_git_repo", "dvc_is_data", "dvc_owner", "dvc_repo", "dvc_add"),
        ("os", "git", "shutil"),
    ),
    "dvc_commit_all": (
        '''
def dvc_commit_all(target):
    """Before `git commit -a`: record changed DVC-tracked data in its (git-tracked) .dvc files."""
    repo = dvc_git_repo(target)
    changed = [rel for rel, state in dvc_changes(repo).items() if state == "modified"]
    if changed:
        dvc_add(target, changed)
''',
        ("dvc_git_repo", "dvc_changes", "dvc_add"),
        (),
    ),
}


def helper_source(
    used: set[str], globs: tuple[str, ...], folders: bool = False, data_folders: tuple[str, ...] = ()
) -> tuple[str, set[str]]:
    """Source of the helpers in `used` (with what they depend on), and the imports they need.

    `folders`: track data folders as a whole (when the script lists them, so that no .dvc file
    shows up among the data); otherwise each data file gets its own .dvc file, as git had it.
    `data_folders`: folders the script fills with data files (gitpython.data_folders).
    """
    needed: list[str] = []

    def visit(name: str) -> None:
        if name in needed:
            return
        for dep in _HELPERS[name][1]:
            visit(dep)
        needed.append(name)

    for name in sorted(used):
        visit(name)
    imports: set[str] = set()
    for name in needed:
        imports.update(_HELPERS[name][2])
    lines = [
        "# DVC helpers added by mlops-adapt (translate-gitpython-dvc): data is versioned by DVC,",
        "# code stays in git.",
    ]
    if "dvc_is_data" in needed:
        lines += [
            "DVC_DATA_EXTENSIONS = (\n" + _wrapped([f'"{e}"' for e in gp.DATA_EXTENSIONS]) + ")",
            "DVC_DATA_DIRS = frozenset({\n" + _wrapped([f'"{d}"' for d in sorted(gp.DATA_DIRS)]) + "})",
            f'DVC_DATA_DIR_PATTERN = r"{gp.DATA_DIR_PATTERN}"',
            f'DVC_DATA_NAME_PATTERN = r"{gp.DATA_NAME_PATTERN}"',
            f'DVC_TEXT_NOT_DATA_PATTERN = r"{gp.TEXT_NOT_DATA_PATTERN}"',
            "DVC_CODE_EXTENSIONS = (\n" + _wrapped([f'"{e}"' for e in gp.CODE_EXTENSIONS]) + ")",
            f"DVC_DATA_GLOBS = ({''.join(repr(g) + ', ' for g in globs).rstrip(' ')})",
            f"DVC_DATA_FOLDERS = ({''.join(repr(f) + ', ' for f in data_folders).rstrip(' ')})",
            f"DVC_TRACK_FOLDERS = {folders}",
        ]
    lines.append('logging.getLogger("dvc").setLevel(logging.WARNING)  # keep DVC notes out of stdout')
    imports.add("logging")
    body = "\n".join(lines) + "\n" + "".join("\n" + _HELPERS[n][0] for n in needed)
    return body, imports


def _wrapped(items: list[str], width: int = 96) -> str:
    """Comma-separated items on indented lines of at most `width` characters."""
    lines, line = [], "   "
    for item in items:
        if len(line) + len(item) + 2 > width:
            lines.append(line)
            line = "   "
        line += f" {item},"
    lines.append(line)
    return "\n".join(lines) + "\n"


def _expected(imports: str, helpers: set[str], body: str, globs: tuple[str, ...] = ()) -> str:
    """An example's translated text: its imports, the helpers it uses, then its body."""
    block = helper_source(helpers, globs)[0]
    return textwrap.dedent(imports).strip() + "\n\n\n" + block + "\n\n" + textwrap.dedent(body).lstrip("\n")


class TranslateGitPythonToDvc(Recipe):
    """Version the script's data files with DVC instead of GitPython; code stays in git.

    - `index.add` / `git.add` of data paths becomes a DVC add followed by a git add of the
      `.dvc` file and `.gitignore`; code paths in the same call stay a git add. `git add -A`
      and `index.add("*")` first put the work tree's data under DVC.
    - The DVC repository is initialised (and its config staged in git) when it is missing.
    - Commits and tags stay git; `git commit -a` first records changed data with DVC.
    - `is_dirty()`, `untracked_files`, `index.diff(None)`, `git.status("--porcelain"/"-s")` and
      `git.diff(name_only=True)` also report DVC's view of the data, as git reported it before.
    - Old versions: `git.show("REV:PATH")` becomes `dvc.api.read(..., rev=REV)`, `commit.tree /
      PATH` a blob-like object read with `dvc.api.open`, `git.checkout(REV, "--", PATH)` and
      `index.checkout(PATHS)` restore data from its `.dvc` file, a branch or tag checkout is
      followed by a DVC checkout, and `iter_commits(paths=DATA)` follows the `.dvc` file.
    - A push is followed by a DVC push. The git push runs first and fails as before without a
      git remote; with no DVC remote configured the data stays in the local cache and a note
      goes to stderr, so stdout is unchanged.

    Data paths are found by extension (csv, parquet, npy, pkl, h5, images, ...), by data-like
    names (`train.txt`, `labels.json`) and folders (`data/`, `datasets/`, `raw_data/`, ...), or
    by `--option data=GLOB[,GLOB]`. Paths known only at run time are sorted by the same rules
    when the script runs: the recipe adds a few small helper functions once, after the imports.
    Data folders the script lists are tracked as a whole, so no `.dvc` file shows up in them.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            """
            import git

            repo = git.Repo.init(".")
            with open("data.csv", "w") as f:
                f.write("a,b\\n1,2\\n")
            # Version the data together with the code.
            repo.index.add(["data.csv", "train.py"])
            repo.index.commit("v1")
            repo.create_tag("v1")
            print(repo.is_dirty())
            print(repo.git.show("v1:data.csv"))
            """,
            _expected(
                """
                import git
                import dvc.api
                import dvc.repo
                import fnmatch
                import glob
                import logging
                import os
                import re
                """,
                {"dvc_add", "dvc_dirty", "dvc_show"},
                """
                repo = git.Repo.init(".")
                with open("data.csv", "w") as f:
                    f.write("a,b\\n1,2\\n")
                # Version the data together with the code.
                dvc_add(repo, ["data.csv"])
                repo.index.add(["train.py"])
                repo.index.commit("v1")
                repo.create_tag("v1")
                print((repo.is_dirty() or dvc_dirty(repo)))
                print(dvc_show(repo, "v1:data.csv"))
                """,
            ),
        ),
        Example(
            """
            from git import Repo

            repo = Repo(".")
            repo.git.add("data/")
            repo.index.commit("update data")
            repo.remote("origin").push()
            """,
            _expected(
                """
                from git import Repo
                import dvc.repo
                import fnmatch
                import git
                import glob
                import logging
                import os
                import re
                import sys
                """,
                {"dvc_add", "dvc_push"},
                """
                repo = Repo(".")
                dvc_add(repo, "data/")
                repo.index.commit("update data")
                repo.remote("origin").push()
                dvc_push(repo)
                """,
            ),
        ),
        Example(
            """
            import git

            repo = git.Repo(".")
            first = repo.commit("v1")
            old = (first.tree / "records/a.txt").data_stream.read()
            """,
            _expected(
                """
                import git
                import dvc.api
                import fnmatch
                import io
                import logging
                import os
                import re
                import types
                """,
                {"dvc_blob"},
                """
                repo = git.Repo(".")
                first = repo.commit("v1")
                old = dvc_blob(first, "records/a.txt").data_stream.read()
                """,
                globs=("records/*",),
            ),
            options=(("data", "records/*"),),
        ),
    ]
    NOOP = [
        """
        import git

        repo = git.Repo.init(".")
        repo.index.add(["train.py", "README.md"])
        repo.index.commit("code only")
        """,
        """
        import git
        import dvc.api

        repo = git.Repo(".")
        print(dvc.api.read("data.csv", rev="v1"))
        """,
        """
        import pandas as pd

        df = pd.read_csv("data.csv")
        print(len(df))
        """,
    ]

    def __init__(self, context, options=None) -> None:
        super().__init__(context, options)
        self.globs = gp.split_globs(self.option("data", ""))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        names = gp.git_names(tree)
        if not names.git_imported:
            raise SkipFile("nothing to adapt: the script does not use GitPython")
        if _function_names(tree) & set(_HELPERS):
            raise SkipFile("already uses DVC (translated before)")
        self.folders = gp.data_folders(tree, self.globs)
        ops = gp.data_ops(tree, self.globs, self.folders)
        touching = [op for op in ops if op.op in ("add", "add-all", "show", "blob", "checkout-paths")]
        if not touching:
            if names.uses_dvc:
                raise SkipFile("already uses DVC")
            raise SkipFile("nothing to adapt: no GitPython operation touches data files")
        taken = _all_names(tree) & set(_HELPERS)
        if taken:
            raise Unsupported(f"the script already uses the names {', '.join(sorted(taken))}")
        rewriter = _Rewriter(names, gp.Constants(tree), self.globs, self.folders)
        new_tree = tree.visit(rewriter)
        if not rewriter.used:
            raise SkipFile("nothing to adapt: no GitPython operation touches data files")
        body, imports = helper_source(
            rewriter.used, self.globs, gp.lists_data_folders(tree, self.globs, self.folders), self.folders
        )
        helpers = cst.parse_module(body)
        block = list(helpers.body)
        block[0] = block[0].with_changes(leading_lines=[*helpers.header, *block[0].leading_lines])
        new_tree = _insert_after_imports(new_tree, block)
        for name in sorted(imports):
            AddImportsVisitor.add_needed_import(self.context, name)
        return new_tree


def _function_names(tree: cst.Module) -> set[str]:
    return {stmt.name.value for stmt in tree.body if isinstance(stmt, cst.FunctionDef)}


def _all_names(tree: cst.Module) -> set[str]:
    found: set[str] = set()

    class _Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    tree.visit(_Names())
    return found


def _insert_after_imports(tree: cst.Module, block: list) -> cst.Module:
    """Put the helper block after the module's leading docstring and imports."""
    body = list(tree.body)
    position = 0
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
        ):
            position = i + 1
        elif i == 0 and isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr) and isinstance(
            stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)
        ):
            position = 1
        elif isinstance(stmt, cst.Try) and _only_imports(stmt):
            position = i + 1
        else:
            break
    block = list(block)
    spacing = [cst.EmptyLine(), cst.EmptyLine()] if position else []
    block[0] = block[0].with_changes(leading_lines=[*spacing, *block[0].leading_lines])
    after = body[position:]
    if after:
        after[0] = after[0].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine(), *[
            line for line in after[0].leading_lines if line.comment is not None
        ]])
    return tree.with_changes(body=body[:position] + block + after)


def _only_imports(stmt: cst.Try) -> bool:
    return all(
        isinstance(s, cst.SimpleStatementLine) and all(isinstance(x, (cst.Import, cst.ImportFrom)) for x in s.body)
        for s in stmt.body.body
    )


_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _comma_args(values: list[cst.BaseExpression]) -> list[cst.Arg]:
    return [cst.Arg(v) for v in values]


class _Rewriter(cst.CSTTransformer):
    """Rewrites GitPython data operations into DVC helper calls, statement by statement."""

    def __init__(
        self, names: gp.GitNames, consts: gp.Constants, globs: tuple[str, ...], folders: tuple[str, ...] = ()
    ) -> None:
        super().__init__()
        self.names, self.consts, self.globs, self.folders = names, consts, globs, folders
        self.used: set[str] = set()
        self.before: list[cst.BaseSmallStatement] = []
        self.after: list[cst.BaseSmallStatement] = []
        self.statement_call: cst.Call | None = None
        self.small_depth = 0
        self.function_depth = 0

    # ------------------------------------------------------------------ statement bookkeeping
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.function_depth += 1

    def leave_FunctionDef(self, original_node, updated_node):
        self.function_depth -= 1
        return updated_node

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return True

    def _enter_small(self, node: cst.BaseSmallStatement) -> None:
        self.small_depth += 1
        if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
            self.statement_call = node.value
        else:
            self.statement_call = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.pending: list[tuple[list, list]] = []

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.pending = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseSmallStatement):
            self._enter_small(node)
            self.before, self.after = [], []
        return super().on_visit(node)

    def on_leave(self, original_node, updated_node):
        result = super().on_leave(original_node, updated_node)
        if isinstance(original_node, cst.BaseSmallStatement):
            self.small_depth -= 1
            self.pending.append((self.before, self.after))
            self.before, self.after = [], []
        return result

    def _expanded(self, updated_body) -> list[cst.BaseSmallStatement]:
        out: list[cst.BaseSmallStatement] = []
        for stmt, (before, after) in zip(updated_body, self.pending):
            out.extend(before)
            out.append(stmt)
            out.extend(after)
        return out

    def leave_SimpleStatementLine(self, original_node, updated_node):
        body = self._expanded(updated_node.body)
        if len(body) == len(updated_node.body):
            return updated_node
        lines = []
        for i, small in enumerate(body):
            small = small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            line = cst.SimpleStatementLine([small])
            if small is updated_node.body[0] or (i == 0):
                line = line.with_changes(leading_lines=updated_node.leading_lines)
            if i == len(body) - 1:
                line = line.with_changes(trailing_whitespace=updated_node.trailing_whitespace)
            lines.append(line)
        # Keep a trailing comment with the original statement, not with an added one.
        return cst.FlattenSentinel(lines)

    def leave_SimpleStatementSuite(self, original_node, updated_node):
        body = self._expanded(updated_node.body)
        if len(body) == len(updated_node.body):
            return updated_node
        fixed = [s.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))) for s in body[:-1]]
        fixed.append(body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT))
        return updated_node.with_changes(body=fixed)

    def _need_statement(self, what: str) -> None:
        if self.small_depth == 0:
            raise Unsupported(f"{what} inside a condition or expression header cannot be translated safely")

    def _use(self, name: str) -> cst.Name:
        self.used.add(name)
        return cst.Name(name)

    # ------------------------------------------------------------------ expressions
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        found = gp.classify_call(original_node, self.names, self.consts, self.globs, self.folders)
        if not found:
            return updated_node
        op, kind, _ = found
        target = updated_node.func.value  # type: ignore[attr-defined]
        holder = _holder(target, self.names)
        if op == "add-all" and gp.is_index(original_node.func.value, self.names):  # type: ignore[attr-defined]
            # GitPython's index.add("*") ignores .gitignore: every path goes through the helper.
            return self._add(original_node, updated_node, holder)
        if op == "add-all":
            self._need_statement("`git add --all`")
            self.before.append(cst.Expr(cst.Call(self._use("dvc_add_all"), [cst.Arg(holder)])))
            return updated_node
        if op == "add" and kind != "code":
            return self._add(original_node, updated_node, holder)
        if op == "show" and kind != "code":
            spec = updated_node.args[0].value
            return cst.Call(self._use("dvc_show"), [cst.Arg(holder), cst.Arg(spec)])
        if op == "dirty":
            return self._dirty(updated_node, holder)
        if op == "diff":
            return cst.Call(self._use("dvc_with_changes"), [cst.Arg(holder), cst.Arg(updated_node)])
        if op == "push":
            self._need_statement("a push")
            push_target = _remote_owner(target, self.names) or holder
            self.after.append(cst.Expr(cst.Call(self._use("dvc_push"), [cst.Arg(push_target)])))
            return updated_node
        if op == "checkout":
            self._need_statement("a checkout")
            self.after.append(cst.Expr(cst.Call(self._use("dvc_checkout"), [cst.Arg(holder)])))
            return updated_node
        if op == "checkout-paths" and kind != "code":
            return self._checkout_paths(original_node, updated_node, holder)
        if op == "history" and kind != "code":
            args = []
            for position, arg in enumerate(updated_node.args):
                is_paths = (arg.keyword is not None and arg.keyword.value == "paths") or (
                    arg.keyword is None and position == 1
                )
                if is_paths:
                    arg = arg.with_changes(value=cst.Call(self._use("dvc_history_paths"), [
                        cst.Arg(target), cst.Arg(arg.value)]))
                args.append(arg)
            return updated_node.with_changes(args=args)
        if op == "log" and kind != "code":
            # `git log -- PATH`: the history of data is the history of its .dvc file.
            args, after_dashes = [], False
            for arg in updated_node.args:
                if after_dashes and arg.keyword is None:
                    arg = arg.with_changes(value=cst.Call(self._use("dvc_history_paths"), [
                        cst.Arg(holder), cst.Arg(arg.value)]))
                after_dashes = after_dashes or string_value(arg.value) == "--"
                args.append(arg)
            return updated_node.with_changes(args=args)
        if op == "remove" and kind != "code":
            return self._remove(original_node, updated_node, holder)
        if op == "diff-names":
            staged = any(
                string_value(a.value) in ("--cached", "--staged")
                or (a.keyword is not None and a.keyword.value in ("cached", "staged"))
                for a in updated_node.args
            )
            args = [cst.Arg(holder), cst.Arg(updated_node)]
            if staged:
                args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("staged"), equal=_EQUAL))
            return cst.Call(self._use("dvc_diff_names"), args)
        if op == "status":
            return cst.Call(self._use("dvc_status_lines"), [cst.Arg(holder), cst.Arg(updated_node)])
        if op == "commit-all":
            self._need_statement("`git commit -a`")
            self.before.append(cst.Expr(cst.Call(self._use("dvc_commit_all"), [cst.Arg(holder)])))
            return updated_node
        return updated_node

    def leave_Attribute(self, original_node, updated_node):
        if original_node.attr.value == "untracked_files" and gp.is_repo(original_node.value, self.names):
            return cst.Call(self._use("dvc_untracked"), [cst.Arg(updated_node.value), cst.Arg(updated_node)])
        return updated_node

    def leave_BinaryOperation(self, original_node, updated_node):
        if (
            isinstance(original_node.operator, cst.Divide)
            and gp.is_tree(original_node.left)
            and gp.classify_expr(original_node.right, self.consts, self.globs, self.folders) != "code"
        ):
            commit = updated_node.left.value  # type: ignore[attr-defined]
            return cst.Call(self._use("dvc_blob"), [cst.Arg(commit), cst.Arg(updated_node.right)])
        return updated_node

    def leave_Subscript(self, original_node, updated_node):
        if gp.is_tree(original_node.value) and len(original_node.slice) == 1:
            index = original_node.slice[0].slice
            if isinstance(index, cst.Index) and gp.classify_expr(index.value, self.consts, self.globs, self.folders) != "code":
                commit = updated_node.value.value  # type: ignore[attr-defined]
                path = updated_node.slice[0].slice.value  # type: ignore[attr-defined]
                return cst.Call(self._use("dvc_blob"), [cst.Arg(commit), cst.Arg(path)])
        return updated_node

    def _add(self, original: cst.Call, updated: cst.Call, holder: cst.BaseExpression) -> cst.BaseExpression:
        if any(a.keyword is not None and a.keyword.value not in ("force", "write", "items") for a in updated.args):
            raise Unsupported(f"`{code(original)}` passes options the DVC translation cannot keep")
        paths = [a for a in updated.args if (a.keyword is None or a.keyword.value == "items") and not (
            string_value(a.value) or "").startswith("-")]
        if len(paths) == 1 and not paths[0].star:
            items_expr: cst.BaseExpression = paths[0].value
        else:
            items_expr = cst.List([
                cst.StarredElement(a.value) if a.star else cst.Element(a.value) for a in paths
            ])
        items = gp.path_items(items_expr, None)
        is_statement = original is self.statement_call
        if items is not None and is_statement:
            kinds = [gp.classify_expr(item, self.consts, self.globs, self.folders) for item in items]
            if "unknown" not in kinds and "code" in kinds:
                data = [i for i, k in zip(items, kinds) if k == "data"]
                codes = [i for i, k in zip(items, kinds) if k == "code"]
                if isinstance(updated.func, cst.Attribute) and gp.is_git_cmd(original.func.value, self.names):
                    keep = updated.with_changes(args=_comma_args(codes))  # `git add a b`: one arg per path
                else:
                    keep = updated.with_changes(args=[cst.Arg(cst.List([cst.Element(c) for c in codes]))])
                self.after.append(cst.Expr(keep))
                return cst.Call(self._use("dvc_add"), [
                    cst.Arg(holder), cst.Arg(cst.List([cst.Element(d) for d in data]))])
        return cst.Call(self._use("dvc_add"), [cst.Arg(holder), cst.Arg(items_expr)])

    def _remove(self, original: cst.Call, updated: cst.Call, holder: cst.BaseExpression) -> cst.BaseExpression:
        on_index = gp.is_index(original.func.value, self.names)  # type: ignore[attr-defined]
        keywords = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
        if on_index:
            paths = [a.value for a in updated.args if a.keyword is None or a.keyword.value == "items"][:1]
            keep = code(keywords.get("working_tree", cst.Name("False"))) != "True"
        else:
            flags = [string_value(a.value) or "" for a in updated.args if a.keyword is None]
            paths = [a.value for a in updated.args if a.keyword is None and not (string_value(a.value) or "").startswith("-")]
            keep = "--cached" in flags or code(keywords.get("cached", cst.Name("False"))) == "True"
        if not paths:
            raise Unsupported(f"`{code(original)}` removes paths the translation cannot see")
        listed = paths[0] if len(paths) == 1 else cst.List([cst.Element(p) for p in paths])
        args = [cst.Arg(holder), cst.Arg(listed)]
        if keep:
            args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("keep_file"), equal=_EQUAL))
        return cst.Call(self._use("dvc_remove"), args)

    def _dirty(self, updated: cst.Call, holder: cst.BaseExpression) -> cst.BaseExpression:
        keywords = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
        if code(keywords.get("working_tree", cst.Name("True"))) == "False":
            return updated
        args = [cst.Arg(holder)]
        for key in ("path", "untracked_files"):
            if key in keywords:
                args.append(cst.Arg(keywords[key], keyword=cst.Name(key), equal=_EQUAL))
        check = cst.Call(self._use("dvc_dirty"), args)
        return cst.BooleanOperation(
            updated, cst.Or(), check,
            lpar=[cst.LeftParen()], rpar=[cst.RightParen()],
        )

    def _checkout_paths(self, original: cst.Call, updated: cst.Call, holder: cst.BaseExpression) -> cst.BaseExpression:
        on_index = gp.is_index(original.func.value, self.names)  # type: ignore[attr-defined]
        split = gp.checkout_split(updated, on_index)
        assert split is not None
        revs, paths = split
        if len(revs) > 1 or (on_index and any(a.keyword and a.keyword.value not in ("paths", "force") for a in updated.args)):
            raise Unsupported("a checkout of data paths with options or several revisions")
        if len(paths) == 1 and (on_index or gp.path_items(paths[0], None) is not None):
            listed: cst.BaseExpression = paths[0]
        else:
            listed = cst.List([cst.Element(p) for p in paths])
        rev = revs[0] if revs else cst.Name("None")
        return cst.Call(self._use("dvc_checkout_paths"), [cst.Arg(holder), cst.Arg(rev), cst.Arg(listed)])


def _remote_owner(target: cst.BaseExpression, names: gp.GitNames) -> cst.BaseExpression | None:
    """For a push: the repository of `repo.remote(...)` / `repo.remotes.x`, or a remote variable."""
    if isinstance(target, cst.Call) and isinstance(target.func, cst.Attribute):
        return target.func.value
    if isinstance(target, (cst.Attribute, cst.Subscript)):
        base = target.value
        if isinstance(base, cst.Attribute) and base.attr.value == "remotes":
            return base.value
    if isinstance(target, cst.Name):
        return target
    return None


def _holder(target: cst.BaseExpression, names: gp.GitNames) -> cst.BaseExpression:
    """What to hand a helper: the repository for `repo.index` / `repo.git`, else the object itself."""
    if isinstance(target, cst.Attribute) and target.attr.value in ("index", "git") and gp.is_repo(target.value, names):
        return target.value
    return target
