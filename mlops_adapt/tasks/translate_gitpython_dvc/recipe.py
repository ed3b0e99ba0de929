"""Recipe translate-gitpython-dvc: data files versioned with DVC instead of GitPython, code stays in git."""

from __future__ import annotations

import re
import textwrap

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from mlops_adapt.analysis import gitpython as gp
from mlops_adapt.analysis.exprs import code, nodes_of, string_value
from mlops_adapt.tasks.translate_gitpython_dvc import SPEC
from mlops_adapt.tasks.translate_gitpython_dvc.specialize import REPO_TARGETS, drop_unreached, fold_settings
from mlops_adapt.transforms.base import Example, Recipe, SkipFile, Unsupported
from mlops_adapt.transforms.translation import (
    HelperLibrary,
    NeededImport,
    StatementExpander,
    all_names,
    defined_functions,
    helper_block,
    insert_after_imports,
)

# The helpers a translated script may get: plain DVC API calls, real code in runtime.py.
# The recipe copies in only the ones the script uses (and the ones those call).
HELPERS = HelperLibrary("mlops_adapt.tasks.translate_gitpython_dvc.runtime", summaries_only=True)


def helper_source(
    used: set[str],
    globs: tuple[str, ...],
    folders: bool = False,
    data_folders: tuple[str, ...] = (),
    merges: bool = True,
    repo_targets: bool = False,
) -> tuple[str, set[NeededImport]]:
    """Source of the helpers in `used` (with the ones they call), and the imports they need.

    `folders`: track data folders as a whole (when the script lists them, so that no .dvc file
    shows up among the data); otherwise each data file gets its own .dvc file, as git had it.
    `data_folders`: folders the script fills with data files (gitpython.data_folders).
    `merges`: the script may merge branches (may_merge), so DVC's .gitignore files merge by union.
    `repo_targets`: the script hands each helper a git.Repo (see _repo_targets_only).
    """
    lines = [
        "# DVC helpers added by mlops-adapt (translate-gitpython-dvc): DVC versions the data, git the code.",
    ]
    settings = {
        "DVC_DATA_GLOBS": bool(globs),
        "DVC_DATA_FOLDERS": bool(data_folders),
        "DVC_TRACK_FOLDERS": folders,
        "DVC_MERGES": merges,
        REPO_TARGETS: repo_targets and not set(HELPERS.closure(used)) & PASS_OTHER_TARGETS,
    }
    helpers = HELPERS.source(used)
    if HELPERS.constants(used) or settings[REPO_TARGETS]:
        helpers = drop_unreached(fold_settings(helpers, settings), set(used))
    # The script's own data rules, in place of runtime.py's defaults (the same analysis rules);
    # only the ones the helpers still read once the script's settings are folded in.
    constants = {
        "DVC_DATA_EXTENSIONS": "(\n" + _wrapped([f'"{e}"' for e in gp.DATA_EXTENSIONS]) + ")",
        "DVC_DATA_DIRS": "frozenset({\n" + _wrapped([f'"{d}"' for d in sorted(gp.DATA_DIRS)]) + "})",
        "DVC_DATA_DIR_PATTERN": f'r"{gp.DATA_DIR_PATTERN}"',
        "DVC_DATA_NAME_PATTERN": f'r"{gp.DATA_NAME_PATTERN}"',
        "DVC_TEXT_NOT_DATA_PATTERN": f'r"{gp.TEXT_NOT_DATA_PATTERN}"',
        "DVC_CODE_EXTENSIONS": "(\n" + _wrapped([f'"{e}"' for e in gp.CODE_EXTENSIONS]) + ")",
        "DVC_DATA_GLOBS": f"({''.join(repr(g) + ', ' for g in globs).rstrip(' ')})",
        "DVC_DATA_FOLDERS": f"({''.join(repr(f) + ', ' for f in data_folders).rstrip(' ')})",
        "DVC_TRACK_FOLDERS": f"{folders}",
        "DVC_MERGES": f"{merges}",
    }
    read = set(re.findall(r"\bDVC_[A-Z_]+\b", helpers))
    lines += [f"{name} = {value}" for name, value in constants.items() if name in read]
    lines.append('logging.getLogger("dvc").setLevel(logging.WARNING)  # keep DVC notes out of stdout')
    body = "\n".join(lines) + "\n\n\n" + helpers
    # Only the imports the folded helpers still use (`fnmatch` goes with the globs branch).
    imports = {i for i in HELPERS.imports(used) if re.search(rf"\b{re.escape(i.name or i.module)}\b", helpers)}
    return body, imports | {NeededImport("logging")}


# Helpers that hand another helper something other than their own target (an index, a commit)
# or take a remote or commit themselves: with one of them copied, dvc_git_repo must stay.
PASS_OTHER_TARGETS = frozenset({
    "dvc_remove", "dvc_stats", "dvc_tree", "dvc_blob", "dvc_push", "dvc_pull", "dvc_storage",
    "dvc_cloned", "dvc_archive", "dvc_git_diff", "dvc_bisect_run",
})


def _repo_targets_only(tree: cst.Module, used: set[str], names: gp.GitNames) -> bool:
    """Whether every helper call of the translated script hands it a name bound to a git.Repo."""
    for call in nodes_of(tree, cst.Call):
        if isinstance(call.func, cst.Name) and call.func.value in used:
            first = call.args[0].value if call.args else None
            if not (isinstance(first, cst.Name) and first.value in names.repos):
                return False
    return True


def _wrapped(items: list[str], width: int = 116) -> str:
    """Comma-separated items on indented lines of at most `width` characters."""
    lines, line = [], "   "
    for item in items:
        if len(line) + len(item) + 2 > width:
            lines.append(line)
            line = "   "
        line += f" {item},"
    lines.append(line)
    return "\n".join(lines) + "\n"


def _expected(imports: str, helpers: set[str], body: str, globs: tuple[str, ...] = (), repos: bool = False) -> str:
    """An example's translated text: its imports, the helpers it uses, then its body."""
    block = helper_source(helpers, globs, repo_targets=repos)[0]
    return textwrap.dedent(imports).strip() + "\n\n\n" + block + "\n\n" + textwrap.dedent(body).lstrip("\n")


class TranslateGitPythonToDvc(Recipe):
    """Version the script's data files with DVC instead of GitPython; code stays in git.

    - `index.add` / `git.add` of data paths becomes a DVC add followed by a git add of the
      `.dvc` file and `.gitignore`; code paths in the same call stay a git add. `git add -A`
      and `index.add("*")` first put the work tree's data under DVC.
    - The DVC repository is initialised (and its config staged in git) when it is missing.
    - Commits and tags stay git; `git commit -a` first records changed data with DVC.
    - `index.entries` also lists the data DVC versions (keyed `(path, 0)` as git keys its files);
      `is_dirty()`, `untracked_files`, `index.diff(None)`, `git.status("--porcelain"/"-s")` and
      `git.diff(name_only=True)` also report DVC's view of the data, as git reported it before.
    - Old versions: `git.show("REV:PATH")` becomes `dvc.api.read(..., rev=REV)`, `commit.tree /
      PATH` a blob-like object read with `dvc.api.open`, `git.checkout(REV, "--", PATH)` and
      `index.checkout(PATHS)` restore data from its `.dvc` file, and `iter_commits(paths=DATA)`
      follows the `.dvc` file.
    - A branch or tag checkout (`head.checkout()`, `git.checkout/switch/merge/...`) is followed by
      a DVC checkout (unsaved data stays, as git keeps local edits); a hard reset
      (`head.reset(working_tree=True)`, `git.reset("--hard")`) by a forced one. So is each
      `git bisect` step; `git bisect run CMD` runs CMD after a DVC checkout of the step's data.
    - Whole trees and diffs between revisions (`commit.tree`, `repo.tree(REV)`,
      `commit.diff(OTHER)`, `git.diff(A, B, ...)`) see the data as git had it: the data of each
      revision, read with DVC, stands in for its `.dvc` files in a scratch tree.
    - `git add -u` first records changed DVC-tracked data; a pull is followed by a DVC pull (with no
      DVC remote, a checkout from the local cache); a clone pulls its data too.
    - Without a configured DVC remote, a git remote on this machine (a bare repository, another
      work tree) gets one in `.dvc/config.local`: a folder inside its git directory, or its DVC
      cache; so pushes, clones and pulls move the data as git moved it.
    - `commit.stats` counts the lines of the data, as git counted them (dvc_tree of the commit and
      its parent); `git mv` of data becomes `dvc move`.
    - `git stash` (push, pop, apply): changed data goes to DVC's cache and its .dvc files into
      the stash; DVC checks the data out after git moved the .dvc files. Refused: stashes that
      would keep untracked data in git or stash part of the files (`-u`, `-k`, `-p`, paths).
    - `repo.archive(f, treeish=REV, ...)` archives the revision's dvc_tree (its data in place of
      the .dvc files); `git worktree add [--detach|-b B] PATH [REV]` is followed by a read of REV's
      data with DVC into the new work tree (`dvc_fill_worktree`).
    - Refused: a commit or revision diffed against the index or work tree; `git blame` of data
      (DVC keeps no per-line history); the output of the `git archive` command.
    - `index.diff("HEAD")` (the staged changes, as a pre-commit gate reads them) lists the staged
      data in place of its .dvc files (`dvc_staged`). Refused: the index against other revisions,
      data kept on an orphan branch, sparse checkouts, submodules (DVC's counterpart would be
      `dvc import`, a different source of the data).
    - Data that git tracked so far (the usual migration) leaves git's index first (`git rm
      --cached`), then DVC adds it.
    - A push is followed by a DVC push. The git push runs first and fails as before without a
      git remote; with no DVC remote (configured or derived, above) the data stays in the local
      cache and a note goes to stderr, so stdout is unchanged.

    Data paths are found by extension (csv, parquet, npy, pkl, h5, images, ...), by data-like
    names (`train.txt`, `labels.json`) and folders (`data/`, `datasets/`, `raw_data/`, ...), or
    by `--option data=GLOB[,GLOB]`. Paths known only at run time are sorted by the same rules
    when the script runs. Data folders the script lists are tracked as a whole, so no `.dvc` file
    shows up in them.

    The helpers go into the script itself, once, after the imports: only the ones it calls (and
    the ones those call), each with a one-line docstring. The edit stays one verified file (V1-V5
    run on exactly what is written), and the script needs nothing from mlops-adapt. Known data
    paths need only `dvc_track`/`dvc_read` (about 40-60 added lines); paths known only at run
    time bring the rules that sort them (about 150). See the task's README.md for the numbers.
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
                import logging
                import os
                """,
                {"dvc_track", "dvc_dirty", "dvc_read"},
                """
                repo = git.Repo.init(".")
                with open("data.csv", "w") as f:
                    f.write("a,b\\n1,2\\n")
                # Version the data together with the code.
                dvc_track(repo, ["data.csv"])
                repo.index.add(["train.py"])
                repo.index.commit("v1")
                repo.create_tag("v1")
                print((repo.is_dirty() or dvc_dirty(repo)))
                print(dvc_read(repo, "v1:data.csv"))
                """,
                repos=True,
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
        if defined_functions(tree) & HELPERS.names:
            raise SkipFile("already uses DVC (translated before)")
        self.folders = gp.data_folders(tree, self.globs)
        ops = gp.data_ops(tree, self.globs, self.folders)
        touching = [op for op in ops if op.op in ("add", "add-all", "show", "blob", "checkout-paths")]
        if not touching:
            if names.uses_dvc:
                raise SkipFile("already uses DVC")
            raise SkipFile("nothing to adapt: no GitPython operation touches data files")
        blocked = untranslatable_call(tree, names, gp.Constants(tree), self.globs)
        if blocked:
            raise Unsupported(blocked)
        taken = all_names(tree) & HELPERS.names
        if taken:
            raise Unsupported(f"the script already uses the names {', '.join(sorted(taken))}")
        whole_folders = gp.lists_data_folders(tree, self.globs, self.folders)
        merge = merging_call(tree, names) if whole_folders else None
        if merge:
            raise Unsupported(
                f"`{merge}` merges branches while the script's data folders are tracked as a whole: "
                "branches that each add data to a folder both change its one .dvc file, which git cannot merge"
            )
        rewriter = _Rewriter(names, gp.Constants(tree), self.globs, self.folders, whole_folders)
        new_tree = tree.visit(rewriter)
        if not rewriter.used:
            raise SkipFile("nothing to adapt: no GitPython operation touches data files")
        body, imports = helper_source(
            rewriter.used, self.globs, whole_folders, self.folders, may_merge(tree),
            _repo_targets_only(new_tree, rewriter.used, names),
        )
        new_tree = insert_after_imports(new_tree, helper_block(body))
        for needed in sorted(imports, key=lambda i: (i.module, i.name or "")):
            AddImportsVisitor.add_needed_import(self.context, needed.module, needed.name)
        return new_tree


def untranslatable_call(
    tree: cst.Module, names: gp.GitNames, consts: gp.Constants | None = None, globs: tuple[str, ...] = ()
) -> str | None:
    """Why a GitPython call of the script cannot be kept once DVC versions the data (or None).

    These calls read files through git's object store, where DVC-tracked data is only a .dvc file,
    and DVC has nothing that answers them the same way.
    """
    for call in nodes_of(tree, cst.Call):
        func = call.func
        if not isinstance(func, cst.Attribute):
            continue
        method, owner = func.attr.value, func.value
        if method == "blame" and (gp.is_repo(owner, names) or gp.is_git_cmd(owner, names)):
            if _blames_code(call, consts, globs):
                continue  # code stays in git, so git blame still answers for it
            return (
                f"`{code(call)}`: git blame of a DVC-tracked file sees only its .dvc file, "
                "and DVC keeps no per-line history to attribute lines to commits (DVC has no blame; "
                "compare the versions read with `dvc.api.read(path, rev=...)` instead)"
            )
        if method == "archive" and gp.is_git_cmd(owner, names):
            return (
                f"`{code(call)}`: the output of a `git archive` command holds the .dvc files, not the data; "
                "only `repo.archive(...)` is translated (from the revision's data read with DVC)"
            )
        why = unmatched_git_layout(call, method, owner, names) or git_only_history(call, method, owner, names, consts, globs)
        if why:
            return f"`{code(call)}`: {why}"
    for op in nodes_of(tree, cst.BinaryOperation):
        if _nested_tree_read(op, consts, globs):
            return f"`{code(op)}`: {_NESTED_TREE}"
    if _attrs_of_listed_files(tree, names):
        return _CHECK_ATTR
    return None


# Git features that carry or search the data's bytes through git itself (why, for the refusal).
_PICKAXE = (
    "`git log -S/-G` (pickaxe) searches the content of each commit's changes; once DVC versions the data, "
    "git stores only .dvc files, whose text is a hash, so no commit would match (DVC cannot search data history; "
    "read each revision with `dvc.api.read(path, rev=...)` and compare instead)"
)
_PATCHES = (
    "a patch made by `git format-patch` and applied by `git am` carries the data's changed lines through git; "
    "once DVC versions the data the patch holds only a .dvc file's new hash, and the receiving repository has no "
    "copy of that data in its DVC cache or remote, so the patch cannot deliver it"
)
_BUNDLE = (
    "a `git bundle` ships a repository as one file; once DVC versions the data the bundle holds only the .dvc "
    "files, and a clone or pull from it gets no data (the data would need a DVC remote shipped with it, "
    "which is not translated)"
)
_NESTED_TREE = (
    "a path walked folder by folder through a commit's tree: once DVC versions the data, the folder is a .dvc "
    "file or ignored by git, so the tree has no such entry (read the file with `dvc.api.read(path, rev=...)`)"
)
_CHECK_ATTR = (
    "`git check-attr` over the files `git ls-files` lists: once DVC versions the data, git tracks only the "
    ".dvc files, so the files listed and their attributes change; DVC has no counterpart of .gitattributes"
)


def _call_words(call: cst.Call) -> list[str]:
    """The string words of a call's positional arguments (and of a list handed to `execute`)."""
    words = [string_value(a.value) or "" for a in call.args if a.keyword is None]
    return words + [string_value(e.value) or "" for a in call.args if isinstance(a.value, cst.List) for e in a.value.elements]


def git_only_history(
    call: cst.Call, method: str, owner: cst.BaseExpression, names: gp.GitNames,
    consts: gp.Constants | None, globs: tuple[str, ...],
) -> str | None:
    """Why a call searches or ships the data through git (pickaxe, patches, bundles), or None."""
    git_cmd = gp.is_git_cmd(owner, names)
    if not (git_cmd or gp.is_repo(owner, names)):
        return None
    words = _call_words(call)
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    if method in ("log", "iter_commits", "execute") and (method != "execute" or "log" in words):
        pickaxe = keywords & {"S", "G"} or any(re.match(r"-[SG]|--pickaxe", w) for w in words)
        if pickaxe and not _names_only_code(call, words, consts, globs):
            return _PICKAXE
    if git_cmd and (method in ("format_patch", "am") or (method == "execute" and {"format-patch", "am"} & set(words))):
        return _PATCHES
    if git_cmd and (method == "bundle" or (method == "execute" and "bundle" in words)):
        return _BUNDLE
    return None


def _names_only_code(call: cst.Call, words: list[str], consts: gp.Constants | None, globs: tuple[str, ...]) -> bool:
    """Whether the paths after `--` of a git call are all known to be code (so git still holds their history)."""
    if "--" not in words:
        return False
    positional = [a.value for a in call.args if a.keyword is None]
    paths = positional[words.index("--") + 1:]
    return bool(paths) and all(gp.classify_expr(p, consts, globs) == "code" for p in paths)


def _nested_tree_read(op: cst.BinaryOperation, consts: gp.Constants | None, globs: tuple[str, ...]) -> bool:
    """`X.tree / "folder" / "file"`: a tree walked through a folder that may be data."""
    left = op.left
    if not (isinstance(op.operator, cst.Divide) and isinstance(left, cst.BinaryOperation)):
        return False
    if not (isinstance(left.operator, cst.Divide) and gp.is_tree(left.left)):
        return False
    parts = [string_value(left.right), string_value(op.right)]
    if None in parts:
        return True  # a folder known only at run time may be data
    return gp.classify_expr(cst.SimpleString(repr("/".join(parts))), consts, globs) != "code"  # type: ignore[arg-type]


def _attrs_of_listed_files(tree: cst.Module, names: gp.GitNames) -> bool:
    """Whether the script asks `git check-attr` and lists git's tracked files (`git ls-files`)."""
    methods = set()
    for call in nodes_of(tree, cst.Call):
        if isinstance(call.func, cst.Attribute) and gp.is_git_cmd(call.func.value, names):
            methods.add(call.func.attr.value)
    return {"check_attr", "ls_files"} <= methods


# Ways of laying data out in git that DVC has no faithful counterpart for (why, for the refusal).
_ORPHAN = (
    "data kept on an orphan branch has a history apart from the code's; with DVC its .dvc files would "
    "live on that branch and the code checkout could not read or version them as git did"
)
_SPARSE = (
    "a sparse checkout leaves data folders out of a clone; DVC has no sparse checkout, and which data "
    "a clone pulls (`dvc pull PATH`) is not translated"
)
_SUBMODULE = (
    "data in a git submodule is versioned in another repository; DVC's counterpart is `dvc import` "
    "from a DVC repository, which changes where the data comes from and is not translated"
)
_STAGED = (
    "the index compared with a revision other than HEAD: DVC can tell the data staged since HEAD only, "
    "and git would list .dvc files, not the data the script inspects"
)


def _blames_code(call: cst.Call, consts: gp.Constants | None, globs: tuple[str, ...]) -> bool:
    """Whether a blame call names a file the analysis knows is code (its path: `file=` or the last argument)."""
    named = [a.value for a in call.args if a.keyword is not None and a.keyword.value == "file"]
    positional = [a.value for a in call.args if a.keyword is None and a.star == ""]
    path = named[0] if named else positional[-1] if positional else None
    return path is not None and gp.classify_expr(path, consts, globs) == "code"


def staged_diff(call: cst.Call, names: gp.GitNames) -> bool:
    """`index.diff("HEAD")` or `index.diff(repo.head.commit)`: the changes staged since HEAD."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "diff" and gp.is_index(func.value, names)):
        return False
    others = [a.value for a in call.args if a.keyword is None or a.keyword.value == "other"]
    if len(others) != 1 or len(call.args) != 1:
        return False
    text = code(others[0])
    return string_value(others[0]) == "HEAD" or text.endswith(".head.commit") or text.endswith(".head")


def unmatched_git_layout(call: cst.Call, method: str, owner: cst.BaseExpression, names: gp.GitNames) -> str | None:
    """Why a call lays data out in git in a way DVC cannot mirror (orphan branch, sparse checkout,
    submodule, staged-index inspection), or None."""
    words = [string_value(a.value) or "" for a in call.args if a.keyword is None]
    if method == "execute":  # repo.git.execute(["git", "sparse-checkout", ...]): the words of the list
        words += [string_value(e.value) or "" for a in call.args if isinstance(a.value, cst.List) for e in a.value.elements]
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    git_cmd = gp.is_git_cmd(owner, names)
    if git_cmd and ("--orphan" in words or "orphan" in keywords):
        return _ORPHAN
    if method == "orphan" and isinstance(owner, cst.Attribute):  # repo.head.orphan / Head.orphan
        return _ORPHAN
    if method == "sparse_checkout" or (git_cmd and "sparse-checkout" in words):
        return _SPARSE
    if method in ("create_submodule", "submodule_update", "iter_submodules") and gp.is_repo(owner, names):
        return _SUBMODULE
    if git_cmd and (method == "submodule" or (method == "execute" and "submodule" in words)):
        return _SUBMODULE
    if method == "diff" and gp.is_index(owner, names) and not staged_diff(call, names):
        if any(code(a.value) != "None" for a in call.args if a.keyword is None or a.keyword.value == "other"):
            return _STAGED
    return None


def merging_call(tree: cst.Module, names: gp.GitNames) -> str | None:
    """The first git command of the script that merges branches (merge, cherry-pick, rebase); a pull
    usually fast-forwards, so it is left out."""
    for call in nodes_of(tree, cst.Call):
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("merge", "cherry_pick", "rebase")
            and gp.is_git_cmd(func.value, names)
        ):
            return code(call)
    return None


def may_merge(tree: cst.Module) -> bool:
    """Whether the script may run a git three-way merge (merge, cherry-pick, rebase, revert, pull, stash).

    Deliberately broad, a word anywhere in the text (a call, `["git", "merge"]`, even a comment):
    a wrong "no" would let branches that add different data conflict on DVC's .gitignore files.
    """
    return re.search(r"\b(merge|cherry[-_]pick|rebase|revert|pull|stash)", tree.code) is not None


def glob_like(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _comma_args(values: list[cst.BaseExpression]) -> list[cst.Arg]:
    return [cst.Arg(v) for v in values]


class _Rewriter(StatementExpander):
    """Rewrites GitPython data operations into DVC helper calls, statement by statement."""

    def __init__(
        self, names: gp.GitNames, consts: gp.Constants, globs: tuple[str, ...], folders: tuple[str, ...] = (),
        whole_folders: bool = False,
    ) -> None:
        super().__init__()
        self.names, self.consts, self.globs, self.folders = names, consts, globs, folders
        self.whole_folders = whole_folders  # data folders are tracked as a whole (one .dvc file each)
        self.blob_trees: set[int] = set()  # `commit.tree` nodes read as `tree / "data.csv"` (dvc_blob)

    # ------------------------------------------------------------------ expressions
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "tree" and gp.is_repo(func.value, self.names):
            # `repo.tree(REV)`: the files of REV as git had them, DVC-tracked data included.
            return cst.Call(self.use("dvc_tree"), [cst.Arg(updated_node.func.value), *updated_node.args])  # type: ignore[attr-defined]
        if isinstance(func, cst.Attribute) and func.attr.value == "archive" and gp.is_repo(func.value, self.names):
            # git archived the .dvc files of the revision; the archive of its dvc_tree holds the data.
            return cst.Call(self.use("dvc_archive"), [cst.Arg(updated_node.func.value), *updated_node.args])  # type: ignore[attr-defined]
        if isinstance(func, cst.Attribute) and func.attr.value == "worktree" and gp.is_git_cmd(func.value, self.names):
            return self._worktree(original_node, updated_node)
        if isinstance(func, cst.Attribute) and func.attr.value == "bisect" and gp.is_git_cmd(func.value, self.names):
            return self._bisect(original_node, updated_node)
        if staged_diff(original_node, self.names):
            # The staged changes list the data as git listed it, not the .dvc files DVC staged.
            return cst.Call(self.use("dvc_staged"), [cst.Arg(_holder(updated_node.func.value, self.names)), cst.Arg(updated_node)])  # type: ignore[attr-defined]
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
            self.need_statement("`git add --all`")
            self.add_before(cst.Expr(cst.Call(self.use("dvc_add_all"), [cst.Arg(holder)])))
            return updated_node
        if op == "add" and kind != "code":
            return self._add(original_node, updated_node, holder)
        if op == "show" and kind != "code":
            spec = updated_node.args[0].value
            pattern = gp.path_pattern(spec, self.consts) or ""
            if ":" in pattern and self._plain_pattern(pattern.partition(":")[2]):
                # `REV:PATH` of a known data file: read at REV, no run-time sorting of paths needed.
                return cst.Call(self.use("dvc_read"), [cst.Arg(holder), cst.Arg(spec)])
            return cst.Call(self.use("dvc_show"), [cst.Arg(holder), cst.Arg(spec)])
        if op == "dirty":
            return self._dirty(updated_node, holder)
        if op == "diff":
            return cst.Call(self.use("dvc_with_changes"), [cst.Arg(holder), cst.Arg(updated_node)])
        if op in ("push", "pull"):
            # `git push` is followed by `dvc push`, `git pull` by `dvc pull` of the pulled .dvc files.
            self.need_statement(f"a {op}")
            remote_repo = _remote_owner(target, self.names) or holder
            self.add_after(cst.Expr(cst.Call(self.use(f"dvc_{op}"), [cst.Arg(remote_repo)])))
            return updated_node
        if op == "add-update":
            # `git add -u` stages changed tracked files: changed DVC-tracked data is recorded first.
            self.need_statement("`git add -u`")
            self.add_before(cst.Expr(cst.Call(self.use("dvc_commit_all"), [cst.Arg(holder)])))
            return updated_node
        if op in ("checkout", "reset-hard"):
            # git moved the .dvc files; DVC brings the data along (a hard reset drops unsaved changes).
            self.need_statement("a checkout" if op == "checkout" else "a hard reset")
            args = [cst.Arg(_repo_holder(target, self.names))]
            if op == "reset-hard" or _forced(original_node):
                args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("force"), equal=_EQUAL))
            self.add_after(cst.Expr(cst.Call(self.use("dvc_checkout"), args)))
            return updated_node
        if op == "diff-work-tree":
            raise Unsupported(
                f"`{code(original_node)}` compares a revision with the work tree, where git no longer sees the data"
            )
        if op == "stash":
            return self._stash(original_node, updated_node, holder)
        if op == "clone":
            return cst.Call(self.use("dvc_cloned"), [cst.Arg(updated_node)])
        if op == "commit-diff":
            return self._commit_diff(original_node, updated_node)
        if op == "diff-revs":
            return cst.Call(self.use("dvc_git_diff"), [cst.Arg(holder), *updated_node.args])
        if op == "checkout-paths" and kind != "code":
            return self._checkout_paths(original_node, updated_node, holder)
        if op == "history" and kind != "code":
            args = []
            for position, arg in enumerate(updated_node.args):
                is_paths = (arg.keyword is not None and arg.keyword.value == "paths") or (
                    arg.keyword is None and position == 1
                )
                if is_paths:
                    arg = arg.with_changes(value=self._history_paths(target, arg.value))
                args.append(arg)
            return updated_node.with_changes(args=args)
        if op == "log" and kind != "code":
            # `git log -- PATH`: the history of data is the history of its .dvc file.
            args, after_dashes = [], False
            for arg in updated_node.args:
                if after_dashes and arg.keyword is None:
                    arg = arg.with_changes(value=self._history_paths(holder, arg.value))
                after_dashes = after_dashes or string_value(arg.value) == "--"
                args.append(arg)
            return updated_node.with_changes(args=args)
        if op == "remove" and kind != "code":
            return self._remove(original_node, updated_node, holder)
        if op == "move" and kind != "code":
            # `git mv` of data: `dvc move` renames the data and its .dvc file (dvc_move).
            if any(a.keyword is not None or (string_value(a.value) or "").startswith("-") for a in updated_node.args):
                raise Unsupported(f"`{code(original_node)}` passes options the DVC translation cannot keep")
            if len(updated_node.args) != 2:
                raise Unsupported(f"`{code(original_node)}` moves several paths at once")
            return cst.Call(self.use("dvc_move"), [cst.Arg(holder), *updated_node.args])
        if op == "diff-names":
            staged = any(
                string_value(a.value) in ("--cached", "--staged")
                or (a.keyword is not None and a.keyword.value in ("cached", "staged"))
                for a in updated_node.args
            )
            args = [cst.Arg(holder), cst.Arg(updated_node)]
            if staged:
                args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("staged"), equal=_EQUAL))
            return cst.Call(self.use("dvc_diff_names"), args)
        if op == "status":
            return cst.Call(self.use("dvc_status_lines"), [cst.Arg(holder), cst.Arg(updated_node)])
        if op == "commit-all":
            self.need_statement("`git commit -a`")
            self.add_before(cst.Expr(cst.Call(self.use("dvc_commit_all"), [cst.Arg(holder)])))
            return updated_node
        return updated_node

    def _bisect(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """`git bisect`: each step that checks out a commit is followed by a DVC checkout of its data.

        `bisect run CMD` becomes dvc_bisect_run, which runs CMD after a `dvc checkout` of each step.
        """
        words = [string_value(a.value) for a in updated.args]
        verb = words[0] if words else None
        if verb in ("log", "visualize", "view", "terms", "help"):
            return updated  # reports only: HEAD stays where it is
        if not words or any(a.keyword is not None or a.star for a in updated.args):
            raise Unsupported(f"`{code(original)}`: a `git bisect` whose step the DVC translation cannot read")
        if verb == "run":
            return cst.Call(self.use("dvc_bisect_run"), [cst.Arg(updated.func.value), *updated.args])  # type: ignore[attr-defined]
        # start, good, bad, skip, reset, or a verdict held in a variable: git checks out a commit.
        self.need_statement("`git bisect`")
        holder = _repo_holder(updated.func.value, self.names)  # type: ignore[attr-defined]
        self.add_after(cst.Expr(cst.Call(self.use("dvc_checkout"), [cst.Arg(holder)])))
        return updated

    def _worktree(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """`git worktree add [OPTIONS] PATH [REV]`: the new work tree gets REV's data (dvc_fill_worktree)."""
        words = [string_value(a.value) for a in updated.args]
        if not words or words[0] != "add":
            return updated  # list, prune, remove: about work trees, not about the data in them
        if any(a.keyword is not None or a.star for a in updated.args):
            raise Unsupported(f"`{code(original)}`: a `git worktree add` with options the DVC translation cannot read")
        positional, skip = [], False
        for arg, word in zip(updated.args[1:], words[1:]):
            if skip:
                skip = False
            elif word is not None and word.startswith("-"):
                if word not in ("--detach", "-f", "--force", "-b", "-B", "--checkout", "-q", "--quiet"):
                    raise Unsupported(f"`{code(original)}`: `git worktree add {word}` is not translated")
                skip = word in ("-b", "-B")  # a branch name follows
            else:
                positional.append(arg.value)
        if not 1 <= len(positional) <= 2:
            raise Unsupported(f"`{code(original)}`: a `git worktree add` whose folder and revision cannot be told apart")
        self.need_statement("`git worktree add`")
        holder = _holder(updated.func.value, self.names)  # type: ignore[attr-defined]
        self.add_after(cst.Expr(cst.Call(self.use("dvc_fill_worktree"), [cst.Arg(holder), *map(cst.Arg, positional)])))
        return updated

    def _commit_diff(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """`commit.diff(other)`: the two trees as git had them (dvc_tree), data included."""
        other = [a for a in updated.args if a.keyword is None or a.keyword.value == "other"]
        if not other or code(other[0].value) in ("None", "git.NULL_TREE", "NULL_TREE"):
            raise Unsupported(
                f"`{code(original)}` compares a commit with the index or work tree, where DVC-tracked "
                "data is not in git's view"
            )
        commit = updated.func.value  # type: ignore[attr-defined]
        left = cst.Call(self.use("dvc_tree"), [cst.Arg(commit)])
        right = cst.Call(self.use("dvc_tree"), [cst.Arg(commit), cst.Arg(other[0].value)])
        rest = [a for a in updated.args if a is not other[0]]
        return updated.with_changes(
            func=updated.func.with_changes(value=left),  # type: ignore[attr-defined]
            args=[other[0].with_changes(value=right), *rest],
        )

    def leave_Attribute(self, original_node, updated_node):
        if original_node.attr.value == "stats" and gp.expr_kind(original_node.value, self.names) == "commits":
            # git counted the lines of the data; now it would count those of the .dvc files.
            return cst.Call(self.use("dvc_stats"), [cst.Arg(updated_node.value)])
        if (
            original_node.attr.value == "tree"
            and gp.expr_kind(original_node.value, self.names) == "commits"
            and id(original_node) not in self.blob_trees
        ):
            # The commit's files as git had them, DVC-tracked data included.
            return cst.Call(self.use("dvc_tree"), [cst.Arg(updated_node.value)])
        if original_node.attr.value == "untracked_files" and gp.is_repo(original_node.value, self.names):
            return cst.Call(self.use("dvc_untracked"), [cst.Arg(updated_node.value), cst.Arg(updated_node)])
        if original_node.attr.value == "entries" and gp.is_index(original_node.value, self.names):
            # "Is this path versioned?" asked of git's index: DVC's data is versioned through its .dvc file.
            holder = _holder(updated_node.value, self.names)
            return cst.Call(self.use("dvc_index_entries"), [cst.Arg(holder), cst.Arg(updated_node)])
        return updated_node

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Divide) and self._read_as_blob(node.left, node.right):
            self.blob_trees.add(id(node.left))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            if self._read_as_blob(node.value, node.slice[0].slice.value):
                self.blob_trees.add(id(node.value))

    def _read_as_blob(self, tree: cst.BaseExpression, path: cst.BaseExpression) -> bool:
        """`X.tree / PATH` read with dvc_blob (one file, not the whole tree): a known data file, or a
        path that may be data on a tree whose commit dvc_tree cannot be handed (not recognised)."""
        if not gp.is_tree(tree):
            return False
        if self._plain_data(path, folder=False):
            return True
        kind = gp.classify_expr(path, self.consts, self.globs, self.folders)
        return kind != "code" and gp.expr_kind(tree.value, self.names) != "commits"  # type: ignore[attr-defined]

    def leave_BinaryOperation(self, original_node, updated_node):
        if isinstance(original_node.operator, cst.Divide) and id(original_node.left) in self.blob_trees:
            commit = updated_node.left.value  # type: ignore[attr-defined]
            return cst.Call(self.use("dvc_blob"), [cst.Arg(commit), cst.Arg(updated_node.right)])
        return updated_node

    def leave_Subscript(self, original_node, updated_node):
        if id(original_node.value) in self.blob_trees:
            commit = updated_node.value.value  # type: ignore[attr-defined]
            path = updated_node.slice[0].slice.value  # type: ignore[attr-defined]
            return cst.Call(self.use("dvc_blob"), [cst.Arg(commit), cst.Arg(path)])
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
                self.add_after(cst.Expr(keep))
                helper = "dvc_track" if all(self._plain_data(d) for d in data) else "dvc_add"
                return cst.Call(self.use(helper), [
                    cst.Arg(holder), cst.Arg(cst.List([cst.Element(d) for d in data]))])
            if items and all(self._plain_data(item) for item in items):
                return cst.Call(self.use("dvc_track"), [cst.Arg(holder), cst.Arg(items_expr)])
        if items is None and len(paths) == 1 and not paths[0].star and self._plain_data(items_expr):
            return cst.Call(self.use("dvc_track"), [cst.Arg(holder), cst.Arg(items_expr)])  # one known data file
        return cst.Call(self.use("dvc_add"), [cst.Arg(holder), cst.Arg(items_expr)])

    def _history_paths(self, holder: cst.BaseExpression, paths: cst.BaseExpression) -> cst.BaseExpression:
        """Paths for a history query: data changes through its .dvc file (known ones spelled out)."""
        items = gp.path_items(paths, None)
        if items is None and self._plain_data(paths):
            return _dvc_file(paths)
        if items and all(self._plain_data(item) for item in items):
            return paths.with_changes(elements=[cst.Element(_dvc_file(item)) for item in items])  # type: ignore[attr-defined]
        return cst.Call(self.use("dvc_history_paths"), [cst.Arg(holder), cst.Arg(paths)])

    def _stash(self, original: cst.Call, updated: cst.Call, holder: cst.BaseExpression) -> cst.BaseExpression:
        """`git stash`: changed data goes to DVC's cache and its .dvc files into the stash
        (dvc_commit_all); after git moved the .dvc files, DVC checks out the data they name."""
        words = [string_value(a.value) for a in updated.args]
        if any(a.keyword is not None for a in updated.args) or None in words:
            raise Unsupported(f"`{code(original)}`: a `git stash` with options the DVC translation cannot read")
        verb = words[0] if words and not words[0].startswith("-") else "push"
        flags = [w for w in words[1 if words and words[0] == verb else 0:] if w.startswith("-")]
        if verb in ("list", "show", "drop", "clear"):
            return updated
        saving = verb in ("push", "save")
        if not (saving or verb in ("pop", "apply")) or set(flags) - {"-m", "--message", "-q", "--quiet", "--index"} or (
            saving and "--" in words
        ):
            raise Unsupported(
                f"`{code(original)}`: a `git stash` of untracked files, of some paths only, or into a branch "
                "cannot keep DVC-tracked data in step with its .dvc files"
            )
        self.need_statement("`git stash`")
        if saving:
            self.add_before(cst.Expr(cst.Call(self.use("dvc_commit_all"), [cst.Arg(holder)])))
        args = [cst.Arg(holder)]
        if saving:  # git put the work tree back to HEAD, unsaved changes too: so does DVC
            args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("force"), equal=_EQUAL))
        self.add_after(cst.Expr(cst.Call(self.use("dvc_checkout"), args)))
        return updated

    def _plain_data(self, item: cst.BaseExpression, folder: bool = True) -> bool:
        """A data file (or, data folders tracked as a whole, a data folder) known before the script
        runs: DVC can take it as it is, so the short `dvc_track` serves, not the helpers that sort
        paths into data and code at run time."""
        return self._plain_pattern(gp.path_pattern(item, self.consts), folder)

    def _plain_pattern(self, pattern: str | None, folder: bool = True) -> bool:
        if pattern is None or glob_like(pattern):
            return False
        if folder and self.whole_folders and "." not in pattern.rstrip("/").rsplit("/", 1)[-1]:
            # A data folder DVC tracks as a whole: the topmost one (as dvc_owner picks it at run time).
            parts = pattern.strip("/").split("/")
            folders = ["/".join(parts[:depth]) + "/" for depth in range(1, len(parts) + 1)]
            return [gp.is_data_path(f, self.globs, self.folders) for f in folders] == [False] * (len(parts) - 1) + [True]
        if pattern.endswith("/") or "." not in pattern.rsplit("/", 1)[-1]:
            return False
        under_folder = self.whole_folders and any(
            pattern == f or pattern.startswith(f.rstrip("/") + "/") for f in self.folders
        )
        return not under_folder and gp.classify_pattern(pattern, self.globs, self.folders) == "data"

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
        return cst.Call(self.use("dvc_remove"), args)

    def _dirty(self, updated: cst.Call, holder: cst.BaseExpression) -> cst.BaseExpression:
        keywords = {a.keyword.value: a.value for a in updated.args if a.keyword is not None}
        if code(keywords.get("working_tree", cst.Name("True"))) == "False":
            return updated
        args = [cst.Arg(holder)]
        for key in ("path", "untracked_files"):
            if key in keywords:
                args.append(cst.Arg(keywords[key], keyword=cst.Name(key), equal=_EQUAL))
        check = cst.Call(self.use("dvc_dirty"), args)
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
        items = gp.path_items(listed, self.consts) if isinstance(listed, (cst.List, cst.Tuple, cst.Name)) else None
        items = items if items is not None else [listed]
        helper = "dvc_restore" if all(self._plain_data(item) for item in items) else "dvc_checkout_paths"
        return cst.Call(self.use(helper), [cst.Arg(holder), cst.Arg(rev), cst.Arg(listed)])


def _dvc_file(path: cst.BaseExpression) -> cst.BaseExpression:
    """The .dvc file of a data path: `"data.csv.dvc"`, or `f"{DATA}.dvc"` (a str or a Path)."""
    text = string_value(path)
    if text is not None and isinstance(path, cst.SimpleString):
        return cst.SimpleString(repr(text + ".dvc"))
    return cst.FormattedString([cst.FormattedStringExpression(path), cst.FormattedStringText(".dvc")])


def _forced(call: cst.Call) -> bool:
    """`checkout(force=True)`, `git.checkout("-f", ...)`: local changes are overwritten."""
    return any(
        (a.keyword is not None and a.keyword.value in ("force", "f") and code(a.value) == "True")
        or string_value(a.value) in ("-f", "--force")
        for a in call.args
    )


def _repo_holder(target: cst.BaseExpression, names: gp.GitNames) -> cst.BaseExpression:
    """The repository for `repo.head` / `repo.git` / `repo.index`; a branch object stands for its own."""
    if isinstance(target, cst.Attribute) and target.attr.value in ("index", "git", "head") and gp.is_repo(target.value, names):
        return target.value
    return target


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
