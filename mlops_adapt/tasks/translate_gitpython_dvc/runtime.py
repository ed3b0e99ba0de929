"""The DVC helpers a translated script runs; the recipe copies the ones a script uses into it.

Each function is copied verbatim, without its `# noqa` markers, into the user's file, so the
translated script needs nothing from mlops_adapt (and the code keeps to Python 3.8: no
removesuffix). The constants below are defaults; the recipe writes the script's own values
(its `--option data` globs, the folders it fills with data, whether data folders are tracked
as a whole) above the copied functions.
"""

from __future__ import annotations

import copy
import fnmatch
import functools
import glob
import io
import logging
import os
import re
import shutil
import sys
import tempfile
import types

import dvc.api
import dvc.exceptions
import dvc.repo
import git

from mlops_adapt.analysis import gitpython as _rules

# The same data rules as the recipe's static analysis (mlops_adapt.analysis.gitpython).
DVC_DATA_EXTENSIONS = _rules.DATA_EXTENSIONS
DVC_DATA_DIRS = _rules.DATA_DIRS
DVC_DATA_DIR_PATTERN = _rules.DATA_DIR_PATTERN
DVC_DATA_NAME_PATTERN = _rules.DATA_NAME_PATTERN
DVC_TEXT_NOT_DATA_PATTERN = _rules.TEXT_NOT_DATA_PATTERN
DVC_CODE_EXTENSIONS = _rules.CODE_EXTENSIONS
DVC_DATA_GLOBS: tuple[str, ...] = ()  # `--option data=GLOB,...`: only these paths are data
DVC_DATA_FOLDERS: tuple[str, ...] = ()  # folders the script fills with data files
DVC_TRACK_FOLDERS = False  # track data folders as a whole (one .dvc file per folder)
DVC_MERGES = True  # the script may merge branches (merge, cherry-pick, rebase, revert, pull, stash)
logging.getLogger("dvc").setLevel(logging.WARNING)  # keep DVC notes out of stdout


def dvc_git_repo(obj):
    """The git.Repo behind a GitPython repository, index, command, remote or commit object."""
    # A git.Git command makes up any attribute (`.repo` too), so it is asked for its folder.
    return obj if isinstance(obj, git.Repo) else git.Repo(obj.working_dir) if isinstance(obj, git.Git) else obj.repo


def dvc_is_data(path):
    """Whether a repository-relative path names data that DVC versions (not code)."""
    rel = re.sub(r"^(\./)+", "", os.fspath(path).replace(os.sep, "/")).rstrip("/")
    if rel in ("", ".") or rel.endswith((".dvc", ".gitignore", ".dvcignore", ".gitattributes")):
        return False
    if DVC_DATA_GLOBS:
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel + "/", g) for g in DVC_DATA_GLOBS)
    lower = rel.lower()
    stem = lower.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if lower.endswith(DVC_DATA_EXTENSIONS) or (
        lower.endswith((".txt", ".json", ".xml")) and re.fullmatch(DVC_DATA_NAME_PATTERN, stem)
    ):
        return True
    if lower.endswith(DVC_CODE_EXTENSIONS):
        return False
    if lower.endswith(".txt") and not re.fullmatch(DVC_TEXT_NOT_DATA_PATTERN, stem):
        return True
    if any(rel == f or rel.startswith(f + "/") for f in DVC_DATA_FOLDERS):
        return True
    return any(p in DVC_DATA_DIRS or re.fullmatch(DVC_DATA_DIR_PATTERN, p) for p in lower.split("/"))


def dvc_owner(root, rel):
    """What DVC tracks for `rel`: a folder DVC tracks, its topmost data folder, or the file itself.

    What DVC tracks for `rel`: a folder DVC tracks already, its topmost data folder when data
    folders are tracked as a whole, or the file itself.
    """
    parts = rel.split("/")
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if os.path.exists(os.path.join(root, folder + ".dvc")):
            return folder
        if DVC_TRACK_FOLDERS and dvc_is_data(folder + "/"):
            return folder
    return rel


def dvc_data_in(repo, folder):
    """Data under a work-tree folder that git does not ignore, and the data DVC tracks there.

    git lists the candidates (tracked, or untracked and not ignored); a .dvc file stands for the
    data DVC tracks, which git ignores. Hidden, cache and environment folders are skipped.
    """
    root = repo.working_tree_dir
    names = repo.git.ls_files("-z", "--cached", "--others", "--exclude-standard", "--", folder).split("\0")
    names = [n for n in names if n and not re.search(r"(^|/)(\.[^/]*|__pycache__|venv|node_modules)/", n)]
    outs = {n[: -len(".dvc")] for n in names if n.endswith(".dvc")}
    data = {dvc_owner(root, n) for n in names if dvc_is_data(n) and os.path.exists(os.path.join(root, n))}
    return sorted(data | outs)


def dvc_repo(repo, index=None):
    """The DVC repository beside a git repository, initialised (its files staged) when missing."""
    root = repo.working_tree_dir
    if not os.path.isdir(os.path.join(root, ".dvc")):
        dvc.repo.Repo.init(root)
        (index or repo.index).add([".dvc/config", ".dvc/.gitignore", ".dvcignore"])
    return dvc.repo.Repo(root)


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


def dvc_track(target, paths):
    """Version data paths with DVC; git stages their .dvc file and .gitignore instead of the data.

    Version data paths (relative to the work tree) with DVC: git stops tracking them (`git rm
    --cached`, the usual migration) and stages their .dvc file and .gitignore instead.
    """
    repo = dvc_git_repo(target)
    index = target if isinstance(target, git.IndexFile) else repo.index
    root = repo.working_tree_dir
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else paths
    rels = sorted({os.path.relpath(os.path.join(root, os.fspath(p)), root).replace(os.sep, "/") for p in paths})
    in_git = repo.git.ls_files("--", *rels).splitlines()
    if in_git:  # DVC refuses data that git tracks
        index.remove(in_git, r=True)
    # Absolute paths: DVC resolves relative ones against the process cwd, not the repo root.
    dvc_repo(repo, index).add([os.path.join(root, rel) for rel in rels])
    staged = [rel + ".dvc" for rel in rels] + sorted({os.path.join(os.path.dirname(rel), ".gitignore") for rel in rels})
    index.add([p for p in staged if os.path.exists(os.path.join(root, p))])


def dvc_add(target, paths):
    """`git add` for data: DVC versions data paths and git stages their .dvc file and .gitignore."""
    repo = dvc_git_repo(target)
    index = target if isinstance(target, git.IndexFile) else repo.index
    root = repo.working_tree_dir
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else paths
    data, files, folders = [], [], []
    for path in paths:
        full = os.path.join(root, os.fspath(path))
        matches = sorted(glob.glob(full)) if glob.has_magic(full) else [full]
        for match in matches:
            rel = os.path.relpath(match, root).replace(os.sep, "/")
            tracked_inside = bool(glob.glob(os.path.join(glob.escape(match), "**", "*.dvc"), recursive=True))
            if dvc_is_data(rel) and not tracked_inside:
                data.append(dvc_owner(root, rel))
            elif os.path.isdir(match):  # its files one by one, as DVC already tracks some of them
                data.extend(dvc_data_in(repo, rel))
                folders.append(rel)
            else:
                files.append(rel)
    if data:
        dvc_track(target, data)  # `index` reads git's index only after this, .dvc files staged
    if files:
        index.add(files)
    if folders:
        repo.git.add("--", *folders)  # the git CLI honours .gitignore, so DVC's data stays out


def dvc_add_all(target):
    """Before `git add --all`: version every data file of the work tree with DVC."""
    repo = dvc_git_repo(target)
    found = dvc_data_in(repo, ".")
    if found:
        dvc_add(target, found)


def dvc_dirty(target, path=None, untracked_files=False):
    """Whether DVC-tracked data changed: git sees only the .dvc files, DVC sees the data."""
    states = set(dvc_changes(target, path).values())
    return bool(states & {"modified", "deleted"}) or (untracked_files and "added" in states)


def dvc_untracked(target, untracked):
    """`repo.untracked_files` plus new files inside folders that DVC tracks (git ignores those)."""
    added = [rel for rel, state in dvc_changes(target).items() if state == "added"]
    return sorted(set(untracked) | set(added))


def dvc_index_entries(target, entries):
    """`index.entries` plus a `(path, 0)` key for each file DVC versions.

    `index.entries` plus a `(path, 0)` key for each file DVC versions (through a .dvc file git
    tracks), so that "is this path versioned?" answers as it did when git held the data.
    """
    root = dvc_git_repo(target).working_tree_dir
    found = dict(entries)
    for path, _stage in entries:
        if not path.endswith(".dvc") or path.startswith(".dvc/"):
            continue
        out = path[: -len(".dvc")]
        if os.path.isdir(os.path.join(root, out)):
            for here, _dirs, files in os.walk(os.path.join(root, out)):
                rel = os.path.relpath(here, root).replace(os.sep, "/")
                found.update({(rel + "/" + name, 0): None for name in files})
        else:
            found[(out, 0)] = None
    return found


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


def dvc_staged(target, diffs):
    """`index.diff("HEAD")` (staged changes) with the data in place of its .dvc files and DVC's .gitignore files.

    A staged `.dvc` file of a file stands for that file (same change, data path); one of a folder
    stands for the folder's files that DVC recorded since HEAD (data_status "committed").
    """
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    if not os.path.isdir(os.path.join(root, ".dvc")):
        return list(diffs)
    found = []
    committed = None
    for diff in diffs:
        rel = diff.a_path or diff.b_path
        if not dvc_meta_file(root, rel):
            found.append(diff)
            continue
        if not rel.endswith(".dvc") or rel.startswith(".dvc/"):
            continue  # DVC's config and .gitignore files: git did not stage them before
        out = rel[: -len(".dvc")]
        if os.path.isdir(os.path.join(root, out)):
            if committed is None:
                committed = dvc_repo(repo).data_status(granular=True)["committed"]
            outs = sorted({f for files in committed.values() for f in files if f.startswith(out + "/") and not f.endswith("/")})
        else:
            outs = [out]
        for path in outs:
            stand_in = copy.copy(diff)  # a GitPython Diff keeps its change type; only its paths change
            stand_in.a_rawpath = path.encode() if diff.a_rawpath is not None else None
            stand_in.b_rawpath = path.encode() if diff.b_rawpath is not None else None
            found.append(stand_in)
    return sorted(found, key=lambda d: d.a_path or d.b_path)


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
    return text[:-1] if text.endswith("\n") else text  # GitPython strips the final newline  # noqa: FURB188


def dvc_read(target, spec):
    """`git show REV:PATH` of a data file DVC versions: dvc.api.read at REV, without git's final newline."""
    rev, _, path = str(spec).partition(":")
    try:
        text = dvc.api.read(path, repo=dvc_git_repo(target).working_tree_dir, rev=rev or "HEAD")
    except Exception as err:  # as `git show` fails for a missing path, so does this
        raise git.GitCommandError(["git", "show", spec], 128, str(err)) from err
    return text[:-1] if text.endswith("\n") else text  # noqa: FURB188


def dvc_restore(target, rev, paths):
    """`git checkout [REV] -- PATHS` of DVC-tracked data: .dvc files from git, data from DVC's cache.

    `git checkout [REV] -- PATHS` of data files DVC versions: the .dvc files come back from git
    (of REV, staged as git stages what it restores), the data from DVC's cache.
    """
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    for path in [paths] if isinstance(paths, (str, os.PathLike)) else paths:
        rel = os.path.relpath(os.path.join(root, os.fspath(path)), root).replace(os.sep, "/")
        if rev is not None:
            repo.git.checkout(rev, "--", rel + ".dvc")
        dvc_repo(repo).checkout(os.path.join(root, rel + ".dvc"), force=True)


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


def dvc_checkout(target, force=False):
    """After git moved the .dvc files (a checkout, a reset): bring the data in line, as `dvc checkout`.

    After git moved the .dvc files (a branch checkout, a hard reset): bring the data in line
    with them, as `dvc checkout` does. Data with unsaved changes stays as it is, as git keeps
    local changes across a checkout; `force` (a hard reset) overwrites it too.
    """
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    if not os.path.isdir(os.path.join(root, ".dvc")):
        return
    if DVC_MERGES:  # a script that switches branches may merge them next
        # DVC lists each data file in .gitignore: git merges it by keeping both sides' lines
        # (.git/info/attributes, not versioned), as it merged the data files themselves.
        attributes = os.path.join(repo.common_dir, "info", "attributes")
        os.makedirs(os.path.dirname(attributes), exist_ok=True)
        with open(attributes, "a+") as f:
            f.seek(0)
            if ".gitignore merge=union" not in f.read().splitlines():
                f.write(".gitignore merge=union\n")
    data_repo = dvc_repo(repo)
    for stage in data_repo.index.stages:
        try:
            data_repo.checkout(stage.path, force=force, allow_missing=True)
        except dvc.exceptions.DvcException as err:
            if force or "unsaved" not in str(err):  # DVC refuses to drop data its cache lacks
                raise
    own_ignore = os.path.join(root, ".dvc", ".gitignore")
    if os.path.isfile(own_ignore) and (".dvc/.gitignore", 0) not in repo.index.entries:
        try:
            repo.head.commit.tree[".dvc/config"]
        except (KeyError, ValueError):  # before `dvc init`: left untracked, it blocks checkouts of later revisions
            os.remove(own_ignore)
    try:
        before = repo.commit("HEAD@{1}").tree  # where HEAD was before this checkout or reset
    except (git.BadName, git.GitCommandError, ValueError):
        return
    # Data the previous version had and this one lacks goes, as git removes its files (unless edited).
    for item in before.traverse():
        if item.type != "blob" or not item.path.endswith(".dvc") or os.path.exists(os.path.join(root, item.path)):
            continue
        data = os.path.join(root, item.path[: -len(".dvc")])
        found = re.search(r"md5: ([0-9a-f]{32})\s", item.data_stream.read().decode())
        cached = data_repo.cache.local.oid_to_path(found.group(1)) if found else ""
        if os.path.isfile(data) and os.path.isfile(cached):
            with open(data, "rb") as now, open(cached, "rb") as then:
                if now.read() == then.read():
                    os.remove(data)


def dvc_bisect_run(git_cmd, run, *command):
    """`git bisect run COMMAND`, each step's data checked out by DVC before COMMAND runs."""
    # No .dvc folder: a step before the migration, git checked out the data. Exit 128 makes git
    # abort the bisect instead of taking a failed checkout for a bad commit.
    step = 'test ! -d .dvc || "$0" -m dvc checkout -q --force || exit 128; exec "$@"'
    return git_cmd.bisect(run, "sh", "-c", step, sys.executable, *command)


def dvc_checkout_paths(target, rev, paths):
    """`git checkout [REV] -- PATHS`: data comes back through its .dvc file (of REV), code through git."""
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else paths
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


def dvc_storage(target):
    """The DVC repository of `target` with a remote to push to and pull from, or None.

    The DVC repository of `target` with a remote to push to and pull from, or None. Without a
    configured DVC remote, a git remote on this machine gets one, in .dvc/config.local (which
    DVC keeps out of git): its DVC cache when it is a DVC work tree, else a folder inside its
    git directory; so a clone of it, or a pull from it, finds the data where pushes put it.
    """
    repo = dvc_git_repo(target)
    if not os.path.isdir(os.path.join(repo.working_tree_dir, ".dvc")):
        return None
    data_repo = dvc_repo(repo)
    if data_repo.config["core"].get("remote"):
        return data_repo
    remote = target if isinstance(target, git.Remote) else next(
        (r for r in repo.remotes if r.name == "origin"), repo.remotes[0] if repo.remotes else None)
    url = remote.url if remote is not None else ""
    url = url[len("file://"):] if url.startswith("file://") else url
    if not url or "://" in url or re.match(r"^[\w.-]+@|^[\w.-]+:[^\\/]", url):
        return None  # a server: its DVC remote must be configured by hand
    path = os.path.join(repo.working_tree_dir, url)
    if os.path.isdir(os.path.join(path, ".dvc")):
        storage = os.path.join(path, ".dvc", "cache")
    else:
        storage = os.path.join(path, ".git" if os.path.isdir(os.path.join(path, ".git")) else "", "dvc-storage")
    with data_repo.config.edit("local") as config:
        config["remote"][remote.name] = {"url": os.path.abspath(storage)}
        config["core"]["remote"] = remote.name
    return dvc.repo.Repo(repo.working_tree_dir)


def dvc_push(target):
    """After `git push`: push DVC-tracked data too (with no DVC remote, a note on stderr).

    After `git push`: push DVC-tracked data too (see dvc_storage). With no DVC remote the data
    stays in the local cache and a note goes to stderr (the git push above already ran).
    """
    data_repo = dvc_storage(target)
    if data_repo is None:
        if os.path.isdir(os.path.join(dvc_git_repo(target).working_tree_dir, ".dvc")):
            print("dvc push skipped: no DVC remote is configured", file=sys.stderr)
        return
    data_repo.push()


def dvc_pull(target):
    """After `git pull` (or a clone): the data of the pulled .dvc files, from the DVC remote or cache.

    After `git pull` (or a clone): the data of the pulled .dvc files from the DVC remote (see
    dvc_storage), or with none from the local cache (`dvc checkout`), with a note on stderr.
    """
    repo = dvc_git_repo(target)
    if not os.path.isdir(os.path.join(repo.working_tree_dir, ".dvc")):
        return
    data_repo = dvc_storage(target)
    if data_repo is not None:
        data_repo.pull()
        return
    print("dvc pull skipped: no DVC remote is configured; data checked out from the local cache", file=sys.stderr)
    dvc_repo(repo).checkout(force=True, allow_missing=True)


def dvc_cloned(clone):
    """A fresh clone with its data: `dvc pull` from the DVC remote of the repository it came from."""
    dvc_pull(clone)
    return clone


@functools.lru_cache(maxsize=None)
def dvc_scratch(objects):
    """A scratch bare git repository whose object store falls back on `objects`.

    A scratch bare git repository whose object store falls back on `objects` (a repository's
    object folder): dvc_tree writes data blobs there, never into that repository. Its folder is
    a TemporaryDirectory, kept by the cache, so it goes away when the script ends.
    """
    folder = tempfile.TemporaryDirectory(prefix="dvc-tree-")
    scratch = git.Repo.init(folder.name, bare=True)
    scratch.dvc_folder = folder
    os.mkdir(os.path.join(folder.name, "empty"))
    with open(os.path.join(folder.name, "objects", "info", "alternates"), "w") as handle:
        handle.write(os.path.abspath(objects) + "\n")
    return scratch


def dvc_tree(target, rev=None):
    """`commit.tree` as git had it before DVC: DVC-tracked data as blobs in place of the .dvc files.

    `commit.tree` as git had it before DVC: the data DVC versions at that commit (read through
    dvc.api's DVCFileSystem) stands as blobs in place of the .dvc files and DVC's .gitignore
    entries, so tree walks, blob sizes and diffs see the data. `rev`: another revision of the
    same repository. The tree lives in a scratch object store (dvc_scratch).
    """
    repo = dvc_git_repo(target)
    commit = repo.commit(rev) if rev is not None else target if isinstance(target, git.Commit) else repo.head.commit
    scratch = dvc_scratch(os.path.join(repo.common_dir, "objects"))
    paths = [item.path for item in commit.tree.traverse() if item.type == "blob"]
    outs = {p[: -len(".dvc")] for p in paths if p.endswith(".dvc") and not p.startswith(".dvc/")}
    fs = dvc.api.DVCFileSystem(repo.working_tree_dir, rev=commit.hexsha)
    # An index of its own per tree, and an empty work tree: update-index wants one, never reads it.
    index = os.path.join(scratch.git_dir, "index-" + commit.hexsha)
    with scratch.git.custom_environment(GIT_INDEX_FILE=index, GIT_WORK_TREE=scratch.git_dir + "/empty"):
        scratch.git.read_tree(commit.tree.hexsha)
        drop = [p for p in paths if p.endswith(".dvc") or p.startswith(".dvc/") or p == ".dvcignore"]
        for name in (p for p in paths if os.path.basename(p) == ".gitignore"):
            folder = os.path.dirname(name)
            lines = (commit.tree / name).data_stream.read().decode().splitlines()
            kept = [x for x in lines if os.path.join(folder, x.strip().strip("/")) not in outs]
            if not kept:
                drop.append(name)
            elif kept != lines:
                dvc_store_blob(scratch, name, ("\n".join(kept) + "\n").encode())
        if drop:
            scratch.git.update_index("--force-remove", "--", *drop)
        for path in fs.find("/", detail=False, dvc_only=True):
            dvc_store_blob(scratch, path.lstrip("/"), fs.read_bytes(path))
        return git.Tree(scratch, bytes.fromhex(scratch.git.write_tree()), git.Tree.tree_id << 12, "")


def dvc_store_blob(scratch, path, content):
    """Put `content` into the scratch index at `path`, as a blob of the scratch object store."""
    sha = scratch.odb.store(git.db.IStream("blob", len(content), io.BytesIO(content))).hexsha
    scratch.git.update_index("--add", "--cacheinfo", "100644," + sha.decode() + "," + path)


def dvc_stats(commit):
    """`commit.stats` as git counted it before DVC: lines added and removed in the data itself.

    `commit.stats` as git counted it before DVC: lines added and removed in the data itself,
    between the dvc_tree's of the commit and of its first parent (or the empty tree), not in the
    .dvc files.
    """
    repo = commit.repo
    # A root commit is compared with the empty tree, which git knows without storing it.
    before = dvc_tree(repo, commit.parents[0].hexsha).hexsha if commit.parents else "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
    scratch = dvc_scratch(os.path.join(repo.common_dir, "objects"))
    lines = scratch.git.diff(before, dvc_tree(commit).hexsha, "--", numstat=True, no_renames=True, raw=True).splitlines()
    half = len(lines) // 2  # `--raw` lines (the change type), then `--numstat` lines, as GitPython reads them
    text = "".join(raw.split("\t")[0][-1] + "\t" + counts + "\n" for raw, counts in zip(lines[:half], lines[half:]))
    return git.Stats._list_from_string(repo, text)


def dvc_git_diff(target, *args, **kwargs):
    """`git diff REV REV [...]` with DVC-tracked data compared as git compared it.

    `git diff REV REV [...]` with DVC-tracked data compared as git compared it: the two sides
    are dvc_tree's of the revisions (`A..B` too), diffed in the scratch store.
    """
    repo = dvc_git_repo(target)
    cut = args.index("--") if "--" in args else len(args)
    revs = [a for a in args[:cut] if not str(a).startswith("-")]
    if len(revs) == 1 and ".." in str(revs[0]):
        revs = str(revs[0]).split("...")[:2] if "..." in str(revs[0]) else str(revs[0]).split("..")
    if len(revs) != 2:
        raise ValueError("dvc_git_diff compares two revisions, got " + repr(revs))
    flags = [a for a in args[:cut] if str(a).startswith("-")]
    trees = [dvc_tree(repo, rev or "HEAD").hexsha for rev in revs]
    return dvc_scratch(os.path.join(repo.common_dir, "objects")).git.diff(*trees, *flags, *args[cut:], **kwargs)


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
    return "\n".join(tracked + untracked)


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
    return "\n".join(sorted(names))


def dvc_remove(target, paths, keep_file=False):
    """`git rm [--cached]` for data: DVC stops tracking it and git drops its .dvc file; code as before."""
    repo = dvc_git_repo(target)
    index = target if isinstance(target, git.IndexFile) else repo.index
    root = repo.working_tree_dir
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else paths
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
        full = os.path.join(root, rel)
        if not keep_file:
            if os.path.isdir(full):
                shutil.rmtree(full)
            elif os.path.exists(full):
                os.remove(full)
        if owner != rel and not os.path.isfile(full):
            dvc_add(index, [owner])  # a folder DVC tracks as a whole: record it without the file
        elif owner != rel:  # `--cached`: the file stays in the work tree, untracked as in git, so it is moved aside
            aside = tempfile.mkdtemp(prefix="dvc-unstaged-")
            shutil.move(full, os.path.join(aside, "file"))
            try:
                dvc_add(index, [owner])
            finally:
                shutil.move(os.path.join(aside, "file"), full)
                shutil.rmtree(aside, ignore_errors=True)


def dvc_move(target, source, destination):
    """`git mv` of data DVC versions: `dvc move`, then git stages the renamed .dvc file.

    `git mv` of data DVC versions: `dvc move` renames the data and its .dvc file, and git stages
    the renamed .dvc file and DVC's .gitignore files, as git staged the renamed data.
    """
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    src, dst = (os.path.relpath(os.path.join(root, os.fspath(p)), root).replace(os.sep, "/") for p in (source, destination))
    if not os.path.exists(os.path.join(root, src + ".dvc")):
        return repo.git.mv(source, destination)  # code, or data git tracks itself
    if os.path.isdir(os.path.join(root, dst)):
        dst = dst + "/" + os.path.basename(src)
    dvc_repo(repo).move(os.path.join(root, src), os.path.join(root, dst))
    repo.index.remove([src + ".dvc"])
    ignores = {os.path.join(os.path.dirname(rel), ".gitignore") for rel in (src, dst)}
    repo.index.add([dst + ".dvc"] + [i for i in sorted(ignores) if os.path.exists(os.path.join(root, i))])
    gone = [i for i in ignores if not os.path.exists(os.path.join(root, i)) and (i, 0) in repo.index.entries]
    if gone:
        repo.index.remove(gone)  # DVC deleted a .gitignore it had emptied
    return ""


def dvc_commit_all(target):
    """Before `git commit -a`: record changed DVC-tracked data in its (git-tracked) .dvc files."""
    repo = dvc_git_repo(target)
    changed = [rel for rel, state in dvc_changes(repo).items() if state == "modified"]
    owners = set()
    for rel in changed:  # a file of a folder DVC tracks as a whole is recorded with its folder
        parts = rel.split("/")
        folders = ("/".join(parts[:depth]) for depth in range(1, len(parts)))
        owners.add(next((f for f in folders if os.path.exists(os.path.join(repo.working_tree_dir, f + ".dvc"))), rel))
    if owners:
        dvc_track(target, sorted(owners))


def dvc_fill_worktree(target, folder, rev="HEAD"):
    """After `git worktree add FOLDER REV`: put REV's DVC-tracked data into the new work tree.

    git checked out only the .dvc files there; DVC reads their data at REV (as `dvc get` would),
    so the second work tree holds the data as it did when git versioned it.
    """
    repo = dvc_git_repo(target)
    root = repo.working_tree_dir
    fs = dvc.api.DVCFileSystem(root, rev=repo.commit(rev).hexsha)
    for path in fs.find("/", detail=False, dvc_only=True):
        dest = os.path.join(root, os.fspath(folder), path.lstrip("/"))  # git ran in the repo root
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        fs.get_file(path, dest)


def dvc_archive(target, ostream, treeish=None, prefix=None, **kwargs):
    """`repo.archive(...)` with the revision's DVC-tracked data in place of its .dvc files.

    The archive is made from dvc_tree of the revision (in the scratch store), so it lists and
    holds the data files as git's archive did; file times are those of the archive's making.
    """
    tree = dvc_tree(target, treeish or "HEAD")
    tree.repo.archive(ostream, treeish=tree.hexsha, prefix=prefix, **kwargs)
    return target
