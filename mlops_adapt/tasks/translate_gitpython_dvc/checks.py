"""V5 checks of `translate-gitpython-dvc`, inlined into the generated test: in a fresh git + DVC
repo, git tracks `.dvc` files, DVC's cache holds their content, git tracks none of the data
files, and every data file the original committed to git is tracked by DVC instead (project
files, is_project_file: code and configs such as .yaml/.json/.toml/.txt/.ini/.cfg/.sh/.ipynb,
are not data unless the original adds them as data); the output equals the original's (commit
hashes normalised).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

# inline: drop-start
from mlops_adapt.verify.testkit import (
    ORIGINAL_GIT_FILES,
)

DATA_PATHS: list[str] = []
# inline: drop-end

# Files that belong to the project itself (code, configs, notebooks, scripts, requirements), not
# to its data: a translation need not move them to DVC.
PROJECT_FILE_SUFFIXES = (
    ".py", ".gitignore", ".dvcignore", ".gitattributes", ".md", ".rst", ".toml", ".cfg", ".ini",
    ".json", ".yaml", ".yml", ".txt", ".sh", ".ipynb",
)


def is_project_file(name: str, data_paths=()) -> bool:
    """Whether a repository file is part of the project (code or config) rather than data.

    Code and config suffixes (PROJECT_FILE_SUFFIXES: .py, .yaml/.yml, .json, .toml, .txt, .ini,
    .cfg, .sh, .ipynb, ...) and DVC's own `.dvc/` folder count as project files, unless the
    original script versions that very file as data: `data_paths` holds the paths (or `fnmatch`
    patterns) its GitPython data operations add, so `measurements.txt` stays data there.
    """
    import fnmatch

    name = name.replace("\\", "/").removeprefix("./")
    for path in data_paths:
        path = path.replace("\\", "/").removeprefix("./").rstrip("/")
        if name == path or name.startswith(path + "/") or ("*" in path and fnmatch.fnmatch(name, path)):
            return False
    return name.endswith(PROJECT_FILE_SUFFIXES) or name.startswith(".dvc/")


def _git_files(workdir) -> list:
    done = subprocess.run(["git", "ls-files"], cwd=workdir, capture_output=True, text=True, check=True)
    return [f for f in done.stdout.splitlines() if f]


def _dvc_outs(workdir, dvc_files) -> dict:
    import yaml

    outs = {}
    for name in dvc_files:
        data = yaml.safe_load((Path(workdir) / name).read_text(encoding="utf-8")) or {}
        base = Path(name).parent
        for out in data.get("outs", []):
            outs[(base / out["path"]).as_posix()] = out.get("md5") or ""
    return outs


def test_dvc_tracks_the_data_and_git_does_not(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    tracked = _git_files(run.workdir)
    dvc_files = [f for f in tracked if f.endswith(".dvc") and not f.startswith(".dvc/")]
    assert dvc_files, f"git tracks no .dvc file: DVC does not version any data (git tracks {tracked})"
    outs = _dvc_outs(run.workdir, dvc_files)
    in_git = [out for out in outs if out in tracked or any(t.startswith(out + "/") for t in tracked)]
    assert not in_git, f"git still tracks data that DVC tracks: {in_git}"
    cache = Path(run.workdir) / ".dvc" / "cache" / "files" / "md5"
    for out, md5 in outs.items():
        digest = md5.replace(".dir", "")
        assert digest and (cache / digest[:2] / (digest[2:] + (".dir" if md5.endswith(".dir") else ""))).exists(), (
            f"DVC's cache does not hold {out} ({md5})"
        )
    data_files = [f for f in ORIGINAL_GIT_FILES if not is_project_file(f, DATA_PATHS)]
    covered = lambda f: f in outs or any(f.startswith(out + "/") for out in outs)
    uncovered = [f for f in data_files if not covered(f)]
    assert not uncovered, f"data the original versioned with git is not tracked by DVC: {uncovered}"
    raw_in_git = [f for f in data_files if f in tracked]
    assert not raw_in_git, f"git still tracks the raw data: {raw_in_git}"


# inline: drop-start
# The kept test's check (`apply --write --emit-test`): testgen copies the kept_ functions into
# that test, with verify/kept.py; the V5 test above does not carry them.


def kept_side_effect(run):
    """git tracks .dvc files, DVC's cache holds data, and git tracks none of the DVC-tracked data."""
    import subprocess

    listed = subprocess.run(
        ["git", "ls-files"], cwd=run.workdir, capture_output=True, text=True, check=True
    )
    tracked = listed.stdout.splitlines()
    dvc_files = [f for f in tracked if f.endswith(".dvc") and not f.startswith(".dvc/")]
    assert dvc_files, f"git tracks no .dvc file (it tracks {tracked})"
    data = [f.removesuffix(".dvc") for f in dvc_files]
    in_git = [f for f in data if f in tracked or any(t.startswith(f + "/") for t in tracked)]
    assert not in_git, f"git still tracks data that DVC tracks: {in_git}"
    cache = run.workdir / ".dvc" / "cache"
    assert cache.is_dir() and any(p.is_file() for p in cache.rglob("*")), "DVC's cache is empty"
# inline: drop-end
