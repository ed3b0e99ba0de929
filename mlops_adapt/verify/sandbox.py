"""Sandbox runner: runs a script isolated by bubblewrap, with an allow-listed environment, resource
limits and temp MLOps stores.

This module is stdlib-only on purpose: testgen inlines its source into every generated test,
so the tests users keep in their CI run the script exactly as V5 does, without mlops_adapt.
docs/sandbox.md says what is isolated and how.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# The only variables the script inherits from the caller (plus the names listed in
# $MLOPS_ADAPT_SANDBOX_PASS_ENV); sandbox_env adds the sandbox's own settings on top.
ENV_ALLOWED_NAMES = ("PATH", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH")
ENV_ALLOWED_PREFIXES = ("LC_",)
# Comma-separated extra variable names the user lets through (e.g. a DATA_DIR the script reads).
PASS_ENV_VAR = "MLOPS_ADAPT_SANDBOX_PASS_ENV"
# Set to 1 to run scripts WITHOUT isolation where bubblewrap is missing (see docs/sandbox.md).
UNSAFE_ENV_VAR = "MLOPS_ADAPT_UNSAFE_SANDBOX"
# The variables that steer the sandbox itself (executed.py hands them to its pytest process).
CONTROL_VARS = (
    PASS_ENV_VAR,
    UNSAFE_ENV_VAR,
    "MLOPS_ADAPT_SANDBOX_MEMORY_MB",
    "MLOPS_ADAPT_SANDBOX_MAX_PROCESSES",
    "MLOPS_ADAPT_SANDBOX_FILE_MB",
)

# How many Optuna trials a study may run in the sandbox (the hpo recipe also reads it).
DEFAULT_N_TRIALS = 3

# Resource limits per sandboxed process; each can be raised through the variable in its comment.
DEFAULT_MEMORY_MB = 3072  # address space (MLOPS_ADAPT_SANDBOX_MEMORY_MB); wandb-core maps 1.8 GB
DEFAULT_MAX_PROCESSES = 256  # tasks incl. threads (MLOPS_ADAPT_SANDBOX_MAX_PROCESSES)
DEFAULT_FILE_MB = 1024  # largest file the script may write (MLOPS_ADAPT_SANDBOX_FILE_MB)
TMPFS_BYTES = 1 << 30  # the sandbox's private /tmp and /dev/shm live in memory

# Folders hidden behind an empty tmpfs: homes (~/.netrc, ~/.ssh, ~/.aws...), other temp files,
# runtime sockets (ssh-agent, docker, dbus). The caller's $HOME is added to them.
MASKED_DIRS = ("/home", "/root", "/tmp", "/var/tmp", "/run", "/mnt", "/media", "/srv")
# Who runs the script when the caller is root: bubblewrap drops to this user inside the sandbox.
NOBODY = 65534

# Testgen assigns the hooks module's text here in a generated test, which ships without the package.
HOOKS_SOURCE: str | None = None


class SandboxUnavailable(RuntimeError):
    """The script cannot run isolated here, and the user did not opt in to run it unisolated."""


@dataclass
class SandboxRun:
    """What one sandboxed run did: exit status, output, time and where its stores are."""

    returncode: int | None  # None when the run timed out
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool
    root: Path
    workdir: Path
    mlflow_uri: str
    wandb_dir: Path
    observations: list = field(default_factory=list)
    isolated: bool = True  # False only under the explicit MLOPS_ADAPT_UNSAFE_SANDBOX opt-in

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def error_summary(self) -> str:
        """The exception line of a failed run (e.g. 'ValueError: ...'), else its last stderr line."""
        lines = [line.strip() for line in self.stderr.strip().splitlines() if line.strip()]
        for line in reversed(lines):
            if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*", line):
                return line[:400]
        return lines[-1][:400] if lines else "no error output"

    def stderr_tail(self, lines: int = 12) -> str:
        """The last lines of stderr, for failure messages."""
        return "\n".join(self.stderr.strip().splitlines()[-lines:])


def hooks_source() -> str:
    """The observation hooks (sandbox_hooks.py) that the sandbox installs as sitecustomize.py."""
    if HOOKS_SOURCE is not None:
        return HOOKS_SOURCE
    return Path(__file__).with_name("sandbox_hooks.py").read_text(encoding="utf-8")


def is_allowed_var(name: str) -> bool:
    """True for the environment variables the sandboxed script may inherit from the caller."""
    extra = {n.strip() for n in os.environ.get(PASS_ENV_VAR, "").split(",") if n.strip()}
    return name in ENV_ALLOWED_NAMES or name.startswith(ENV_ALLOWED_PREFIXES) or name in extra


def allowed_env(base: dict | None = None) -> dict:
    """The caller's environment cut down to the allow-list: no credentials, no server addresses."""
    source = dict(os.environ if base is None else base)
    return {k: v for k, v in source.items() if is_allowed_var(k)}


def sandbox_env(
    root: Path,
    n_trials: int = DEFAULT_N_TRIALS,
    base: dict | None = None,
    import_paths: list | None = None,
) -> dict:
    """The allow-listed environment with every backend pointed at stores under `root`.

    PYTHONPATH starts with the observation hooks, then the caller's own entries, then
    `import_paths` (the script's folder, so its sibling modules still import). PATH starts with
    the interpreter's folder, so `python` and console scripts (dvc) are the same environment's.
    """
    env = allowed_env(base)
    python_path = [str(root / "hooks"), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    python_path += [str(p) for p in (import_paths or [])]
    path = [p for p in env.get("PATH", os.defpath).split(os.pathsep) if p]
    bin_dir = os.path.dirname(sys.executable)
    home = root / "home"
    db = root / "mlflow.db"
    env.update(
        {
            "PATH": os.pathsep.join([bin_dir, *(p for p in path if p != bin_dir)]),
            "HOME": str(home),
            "TMPDIR": str(root / "tmp"),
            "MLFLOW_TRACKING_URI": f"sqlite:///{db}",
            "MLFLOW_REGISTRY_URI": f"sqlite:///{db}",
            "MLFLOW_ENABLE_ASYNC_LOGGING": "false",
            "WANDB_MODE": "offline",
            "WANDB_DIR": str(root / "wandb"),
            "WANDB_CONFIG_DIR": str(home / ".config" / "wandb"),
            "WANDB_CACHE_DIR": str(home / ".cache" / "wandb"),
            "WANDB_DATA_DIR": str(home / ".local" / "wandb"),
            "WANDB_SILENT": "true",
            "WANDB_CONSOLE": "off",
            "WANDB_DISABLE_CODE": "true",
            "MLOPS_ADAPT_N_TRIALS": str(n_trials),
            "MLOPS_ADAPT_OBSERVE": str(root / "observations.jsonl"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
            "GIT_TERMINAL_PROMPT": "0",
            "DVC_NO_ANALYTICS": "1",
            "DVC_SITE_CACHE_DIR": str(root / "dvc-site-cache"),
            "PYTHONPATH": os.pathsep.join(python_path),
            "PYTHONHASHSEED": "0",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONWARNINGS": "ignore",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "Agg",
        }
    )
    return env


def _git(args: list[str], cwd: Path, env: dict) -> None:
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def init_repo(workdir: Path, env: dict, dvc: bool = True) -> None:
    """Make `workdir` a fresh git repository (with DVC initialised) and one initial commit."""
    _git(["init", "-q", "-b", "main"], workdir, env)
    if dvc:
        subprocess.run(
            [sys.executable, "-m", "dvc", "init", "-q"],
            cwd=workdir,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [sys.executable, "-m", "dvc", "config", "core.autostage", "false"],
            cwd=workdir,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    _git(["add", "-A"], workdir, env)
    _git(["commit", "-q", "--allow-empty", "-m", "sandbox: initial commit"], workdir, env)


def makes_own_repo(script_text: str) -> bool:
    """Whether a script creates its git repository itself (a non-bare GitPython `Repo.init(...)`):
    V5 then runs it and its adaptation in an empty work folder (`repo=False`), as in a fresh
    directory. The sandbox's repository would add a commit the script never made (with no note,
    no tag, none of its files) to its history."""
    calls = re.findall(r"(?<![\w.])(?:git\.)?Repo\.init\(([^)]*)\)", script_text)
    return any(not re.search(r"\bbare\s*=\s*True", args) for args in calls)


def find_git_root(path) -> Path | None:
    """The top folder of the git repository that holds `path` (a file or a folder), else None.

    Searches `path` and every parent, so a script in a subfolder (`repo/src/train.py`) finds the
    repository at `repo/`. A `.git` file (a worktree or a submodule) counts like a `.git` folder.
    """
    try:
        here = Path(path).resolve()
    except OSError:
        return None
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return None


def repo_subdir(script_path) -> str | None:
    """The folder of a script relative to its git repository's root ("" at the root, "src" for
    `repo/src/train.py`), or None when the script is in no repository."""
    root = find_git_root(script_path)
    if root is None:
        return None
    folder = Path(script_path).resolve().parent
    rel = folder.relative_to(root).as_posix()
    return "" if rel == "." else rel


def make_sandbox(
    script_text: str,
    script_name: str = "script.py",
    extra_files: dict | None = None,
    repo: bool = False,
    mlflow_template: str | None = None,
    root: Path | None = None,
    n_trials: int = DEFAULT_N_TRIALS,
    import_paths: list | None = None,
    script_subdir: str | None = None,
) -> tuple[Path, Path, dict]:
    """Lay out a sandbox: root/script, root/work (the cwd), root/home, root/tmp, root/hooks; returns
    (root, script, env).

    With `repo` and a `script_subdir` (see repo_subdir), the script sits where it sits in the
    user's repository, inside the sandbox repository (`work/src/script.py`, committed with the
    initial commit), so code that looks for the repository from the script's own folder
    (`Repo(os.path.dirname(__file__), search_parent_directories=True)`) finds it. The working
    directory stays the repository root.
    """
    root = Path(root or tempfile.mkdtemp(prefix="mlops-adapt-sandbox-")).resolve()
    for sub in ("work", "home", "hooks", "tmp", "wandb", "dvc-site-cache"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "hooks" / "sitecustomize.py").write_text(hooks_source(), encoding="utf-8")
    (root / "home" / ".gitconfig").write_text(
        "[user]\n\tname = MLOps-Adapt Sandbox\n\temail = sandbox@example.invalid\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    if repo and script_subdir is not None:
        folder = (root / "work" / script_subdir).resolve()
        if root / "work" not in (folder, *folder.parents):
            raise ValueError(f"script_subdir {script_subdir!r} leaves the sandbox")
        folder.mkdir(parents=True, exist_ok=True)
        script = folder / script_name
    else:
        script = root / script_name
    script.write_text(script_text, encoding="utf-8")
    for name, content in (extra_files or {}).items():
        target = root / "work" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if mlflow_template and Path(mlflow_template).is_file():
        # A pre-migrated empty store saves MLflow's ~4 s schema creation per run.
        shutil.copyfile(mlflow_template, root / "mlflow.db")
        _point_artifacts_into(root / "mlflow.db", root / "work" / "mlruns")
    env = sandbox_env(root, n_trials, import_paths=import_paths)
    if repo:
        init_repo(root / "work", env)
    return root, script, env


def _point_artifacts_into(db: Path, folder: Path) -> None:
    """Give the copied store's experiments artifact folders inside this sandbox.

    The template was created elsewhere, and MLflow stored that place's `./mlruns` as the default
    experiment's artifact location: outside the sandbox, where a run may not (and must not) write.
    """
    import sqlite3

    connection = sqlite3.connect(str(db))
    try:
        rows = connection.execute("SELECT experiment_id FROM experiments").fetchall()
        for (experiment_id,) in rows:
            connection.execute(
                "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
                (str(folder / str(experiment_id)), experiment_id),
            )
        connection.commit()
    finally:
        connection.close()


def read_observations(root: Path) -> list:
    """The events the sitecustomize hooks recorded during the run."""
    path = root / "observations.jsonl"
    if not path.is_file():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue
    return events


# The launcher that runs first inside the sandbox (sandbox_launcher.py); a generated test, which
# has no package to read it from, defines this constant with its text.
LAUNCHER_SOURCE: str | None = None


def launcher_source() -> str:
    """The text of sandbox_launcher.py, run with `python -I -S -c` before the script."""
    if LAUNCHER_SOURCE is not None:
        return LAUNCHER_SOURCE
    return Path(__file__).with_name("sandbox_launcher.py").read_text(encoding="utf-8")


_CACHE: dict = {}  # per process: the isolation probe's answer, the interpreter's folders


def unsafe_opted_in() -> bool:
    """True when the user asked to run scripts without isolation where bubblewrap is missing."""
    return os.environ.get(UNSAFE_ENV_VAR, "").strip().lower() in ("1", "true", "yes")


def isolation_problem() -> str | None:
    """Why scripts cannot run isolated here, or None when they can (probed once per process)."""
    if "problem" not in _CACHE:
        _CACHE["problem"] = _probe_isolation()
    return _CACHE["problem"]


def refusal_message(problem: str) -> str:
    """What to tell the user when executed verification is refused."""
    return (
        f"executed verification refused: the script cannot run isolated ({problem}). "
        f"Install bubblewrap, or set {UNSAFE_ENV_VAR}=1 to run it WITHOUT isolation "
        "(it could then read your files and credentials and use the network; docs/sandbox.md)"
    )


def _probe_isolation() -> str | None:
    if shutil.which("bwrap") is None:
        return (
            "bubblewrap (bwrap) is not installed; Debian/Ubuntu: apt-get install bubblewrap, "
            "Fedora: dnf install bubblewrap"
        )
    root = Path(tempfile.mkdtemp(prefix="mlops-adapt-probe-"))
    try:
        (root / "work").mkdir()
        (root / "hooks").mkdir()
        command = _launch_command(["-c", "pass"], root / "work", {}, as_root=os.geteuid() == 0)
        done = _run_bwrap(command, root, {"PATH": os.defpath}, [], timeout=60)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if done[2] or done[3] != 0:
        detail = (done[1].strip().splitlines() or ["no error output"])[-1]
        return f"bwrap cannot create the sandbox here: {detail}"
    return None


def sandbox_limits(timeout: float, overrides: dict | None = None) -> dict:
    """The rlimits (names from the resource module) every process in the sandbox runs under."""

    def setting(var: str, default: int) -> int:
        try:
            return int(os.environ.get(var, default))
        except ValueError:
            return default

    mib = 1 << 20
    limits = {
        "RLIMIT_AS": setting("MLOPS_ADAPT_SANDBOX_MEMORY_MB", DEFAULT_MEMORY_MB) * mib,
        "RLIMIT_NPROC": setting("MLOPS_ADAPT_SANDBOX_MAX_PROCESSES", DEFAULT_MAX_PROCESSES),
        "RLIMIT_FSIZE": setting("MLOPS_ADAPT_SANDBOX_FILE_MB", DEFAULT_FILE_MB) * mib,
        # Every core busy for the whole timeout still fits: this only stops a process that the
        # wall-clock kill missed.
        "RLIMIT_CPU": int(timeout * (os.cpu_count() or 1)) + 10,
        "RLIMIT_CORE": 0,
    }
    limits.update(overrides or {})
    return limits


def _launch_command(script_argv: list, workdir: Path, limits: dict, as_root: bool) -> list:
    """The launcher, then the interpreter and the script's own arguments."""
    spec = {
        "uid": NOBODY if as_root else None,
        "gid": NOBODY if as_root else None,
        "cwd": str(workdir),
        "limits": limits,
    }
    return [
        sys.executable,
        "-I",
        "-S",
        "-c",
        launcher_source(),
        json.dumps(spec),
        sys.executable,
        *script_argv,
    ]


def _task_count(uid: int) -> int:
    """How many tasks (threads included) `uid` runs now: RLIMIT_NPROC counts them all."""
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def _interpreter_paths() -> list:
    """The folders this interpreter reads: its prefixes and the sys.path it starts with."""
    if "interpreter" not in _CACHE:
        paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
        paths |= {
            os.path.dirname(sys.executable),
            os.path.dirname(os.path.realpath(sys.executable)),
        }
        probe = "import json, sys; print(json.dumps(sys.path))"
        try:
            out = subprocess.run(
                [sys.executable, "-E", "-s", "-c", probe],
                cwd="/",
                env={"PATH": os.defpath},
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            ).stdout
            paths.update(json.loads(out))
        except (OSError, subprocess.SubprocessError, ValueError):
            paths.update(sys.path)
        _CACHE["interpreter"] = sorted(p for p in paths if p and os.path.isabs(p))
    return _CACHE["interpreter"]


def _masked_dirs() -> list:
    """MASKED_DIRS plus the caller's home, outermost first, each a real folder."""
    homes = [os.environ.get("HOME", ""), os.path.expanduser("~")]
    system = {"/", "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/var", "/proc"}
    masks: list = []
    for path in [*MASKED_DIRS, *homes]:
        if not path or os.path.realpath(path) in system or not os.path.isdir(path):
            continue
        if os.path.islink(path):
            path = os.path.realpath(path)
        if not any(_inside(path, m) for m in masks):
            masks.append(path)
    return masks


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _mount_args(root: Path, readable: list) -> list:
    """bwrap's filesystem: everything read-only, masks over homes/temp/sockets, the sandbox root
    writable, and what the interpreter and the script's imports need mounted back into the masks."""
    size = ["--size", str(TMPFS_BYTES)] if _bwrap_has("--size") else []  # bwrap >= 0.7
    args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    args += ["--perms", "1777", *size, "--tmpfs", "/dev/shm"]
    masks = _masked_dirs()
    for mask in masks:
        if mask in ("/tmp", "/var/tmp"):
            args += ["--perms", "1777", *size]
        args += ["--tmpfs", mask]
    made: set = set(masks)
    binds: list = []
    # A home that lies inside another mask (HOME under /tmp) is hidden again wherever a folder
    # around it is mounted back: a later mount covers the earlier one.
    homes = {
        os.path.realpath(h) for h in (os.environ.get("HOME", ""), os.path.expanduser("~"))
        if h and os.path.isdir(h) and os.path.realpath(h) not in masks
    }
    for path in sorted({p for p in readable if os.path.exists(p)}, key=len):
        real = os.path.realpath(path)
        for source, target in dict.fromkeys([(real, real), (real, os.path.abspath(path))]):
            under = [m for m in masks if _inside(target, m)]
            # Never a whole mask back (a script kept right in $HOME would bring ~/.netrc along).
            if any(_inside(m, target) for m in [*masks, *homes]):
                continue
            if under and not any(_inside(target, b) for b in binds):
                args += _mount_point(target, under[0], made) + ["--ro-bind", source, target]
                binds.append(target)
                for home in sorted(h for h in homes if _inside(h, target) and h != target):
                    args += ["--tmpfs", home]
                    made.add(home)
    root_dir = str(root)
    under = [m for m in masks if _inside(root_dir, m)]
    if under and not any(_inside(root_dir, b) for b in binds):
        args += _mount_point(root_dir, under[0], made)
    args += ["--bind", root_dir, root_dir, "--ro-bind", str(root / "hooks"), str(root / "hooks")]
    return args


def _mount_point(target: str, mask: str, made: set) -> list:
    """--dir for each folder between `mask` and `target`, world-traversable (bwrap's are not)."""
    args: list = []
    parts = Path(target).relative_to(mask).parts[:-1]
    folder = Path(mask)
    for part in parts:
        folder = folder / part
        if str(folder) not in made:
            made.add(str(folder))
            args += ["--perms", "0755", "--dir", str(folder)]
    return args


def _namespace_args(as_root: bool) -> list:
    args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts"]
    args += ["--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if as_root:
        # bwrap runs privileged; the launcher keeps only what it needs to become nobody.
        return args + ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    # bwrap >= 0.8 can also stop the script from making user namespaces of its own.
    return args + [
        "--unshare-user",
        *(["--disable-userns"] if _bwrap_has("--disable-userns") else []),
    ]


def _bwrap_has(option: str) -> bool:
    """Whether the installed bwrap knows `option` (Ubuntu 22.04 ships 0.6, Debian 12 0.8)."""
    if "bwrap_help" not in _CACHE:
        try:
            done = subprocess.run(
                [shutil.which("bwrap") or "bwrap", "--help"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            _CACHE["bwrap_help"] = done.stdout + done.stderr
        except (OSError, subprocess.SubprocessError):
            _CACHE["bwrap_help"] = ""
    return re.search(rf"^\s*{re.escape(option)}\b", _CACHE["bwrap_help"], re.MULTILINE) is not None


def _run_bwrap(command: list, root: Path, env: dict, readable: list, timeout: float) -> tuple:
    """Run `command` in a bubblewrap sandbox; (stdout, stderr, timed_out, returncode).

    Returns only once every process of the sandbox is gone: when the script exits, bwrap exits,
    its pid 1 in the sandbox dies with it (--die-with-parent) and the kernel kills the rest.
    """
    as_root = os.geteuid() == 0
    argv = [shutil.which("bwrap") or "bwrap", *_namespace_args(as_root)]
    argv += _mount_args(root, [*_interpreter_paths(), *readable])
    info_read, info_write = os.pipe()  # bwrap writes the host pid of the sandbox's pid 1 here
    argv += ["--info-fd", str(info_write), "--", *command]
    if as_root:  # the script runs as nobody: hand it the sandbox, take it back afterwards
        _chown_tree(root, NOBODY, NOBODY)
    try:
        with os.fdopen(info_read, "rb") as info:
            try:
                proc = subprocess.Popen(
                    argv,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    start_new_session=True,
                    pass_fds=(info_write,),
                )
            finally:
                os.close(info_write)
            try:
                stdout, stderr, timed_out = _communicate(proc, timeout)
            finally:
                _kill_group(proc)  # only when leaving early (an interrupt)
                _wait_gone(_sandbox_pid(info))
    finally:
        if as_root:
            _chown_tree(root, os.geteuid(), os.getegid(), only_owner=NOBODY)
    return stdout, stderr, timed_out, proc.returncode


def _sandbox_pid(info) -> int | None:
    """The host pid of the sandbox's pid 1, from what bwrap wrote to --info-fd (None if nothing)."""
    os.set_blocking(info.fileno(), False)
    try:
        text = (info.read() or b"").decode("utf-8", "replace")
    except OSError:
        return None
    match = re.search(r'"child-pid"\s*:\s*(\d+)', text)
    return int(match.group(1)) if match else None


def _communicate(proc: subprocess.Popen, timeout: float) -> tuple:
    """(stdout, stderr, timed_out); on timeout the process group is killed."""
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
        return stdout, stderr, False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
    try:
        stdout, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # only unisolated: a process outside the group kept a pipe
        proc.kill()
        stdout, stderr = "", "[sandbox] a process that left the sandbox kept its output open"
    return stdout, stderr + f"\n[sandbox] timed out after {timeout:g} s", True


def _kill_group(proc: subprocess.Popen, leftovers: bool = False) -> None:
    """SIGKILL the process group `proc` leads, while it runs; once it was reaped only for
    `leftovers` (the group id stays reserved while any member lives)."""
    if proc.returncode is not None and not leftovers:
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass  # the group is already gone


def _wait_gone(pid: int | None, limit: float = 10.0) -> None:
    """Wait until the sandbox's pid 1 is gone (or a zombie): its namespace's processes are dead."""
    if pid is None:
        return
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.005)


def _chown_tree(root: Path, uid: int, gid: int, only_owner: int | None = None) -> None:
    """lchown everything under `root` (never following links), or only what `only_owner` owns."""
    for folder, dirs, files in os.walk(root):
        for path in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            try:
                if only_owner is None or os.lstat(path).st_uid == only_owner:
                    os.lchown(path, uid, gid)
            except OSError:
                continue


def run_script(
    script_text: str,
    timeout: float = 300.0,
    extra_files: dict | None = None,
    repo: bool = False,
    mlflow_template: str | None = None,
    root: Path | None = None,
    args: list | None = None,
    n_trials: int = DEFAULT_N_TRIALS,
    import_paths: list | None = None,
    script_subdir: str | None = None,
    limits: dict | None = None,
) -> SandboxRun:
    """Run `script_text` as a script in a fresh, isolated sandbox and return what happened.

    `script_subdir` places the script inside the sandbox repository (see make_sandbox); `limits`
    overrides entries of sandbox_limits. Raises SandboxUnavailable when bubblewrap cannot isolate
    the script here and the user did not set MLOPS_ADAPT_UNSAFE_SANDBOX=1.
    """
    problem = isolation_problem()
    if problem and not unsafe_opted_in():
        raise SandboxUnavailable(refusal_message(problem))
    root, script, env = make_sandbox(
        script_text,
        extra_files=extra_files,
        repo=repo,
        mlflow_template=mlflow_template,
        root=root,
        n_trials=n_trials,
        import_paths=import_paths,
        script_subdir=script_subdir,
    )
    workdir = root / "work"
    as_root = problem is None and os.geteuid() == 0
    rlimits = sandbox_limits(timeout, limits)
    # RLIMIT_NPROC counts every task of the user, not only the sandbox's: budget on top of those.
    rlimits["RLIMIT_NPROC"] += _task_count(NOBODY if as_root else os.getuid())
    command = _launch_command([str(script), *(args or [])], workdir, rlimits, as_root)
    started = time.monotonic()
    if problem is None:
        readable = [*filter(None, env["PYTHONPATH"].split(os.pathsep)), *(import_paths or [])]
        stdout, stderr, timed_out, returncode = _run_bwrap(
            command, root, env, [str(p) for p in readable], timeout
        )
    else:
        stdout, stderr, timed_out, returncode = _run_unisolated(command, workdir, env, timeout)
    return SandboxRun(
        returncode=None if timed_out else returncode,
        stdout=stdout,
        stderr=stderr,
        seconds=time.monotonic() - started,
        timed_out=timed_out,
        root=root,
        workdir=workdir,
        mlflow_uri=env["MLFLOW_TRACKING_URI"],
        wandb_dir=Path(env["WANDB_DIR"]),
        observations=read_observations(root),
        isolated=problem is None,
    )


def _run_unisolated(command: list, workdir: Path, env: dict, timeout: float) -> tuple:
    """The opted-in fallback: only the environment, the limits and the process group contain it."""
    proc = subprocess.Popen(
        command,
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so the whole process group can be killed
    )
    try:
        stdout, stderr, timed_out = _communicate(proc, timeout)
    finally:
        _kill_group(proc, leftovers=True)  # what the script left in its group (setsid escapes it)
    return stdout, stderr, timed_out, proc.returncode


# Things that legitimately differ between two runs of the same script: durations, run ids,
# commit hashes, memory addresses, temp paths.
_VOLATILE = [
    (re.compile(r"0x[0-9a-fA-F]+"), "<addr>"),
    (re.compile(r"\b[0-9a-f]{32}\b|\b[0-9a-f]{7,40}\b(?=[^0-9a-f]|$)"), "<id>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"(/[\w.-]+)*/mlops-adapt-sandbox-[\w]+(/[\w.-]+)*"), "<path>"),
    (re.compile(r"\d+(\.\d+)?\s*(s|sec|secs|seconds|ms)\b"), "<time>"),
    (re.compile(r"(?i)(time|took|elapsed|duration)([^\d]{0,12})\d+(\.\d+)?"), r"\1\2<time>"),
    (re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?"), "<date>"),
]
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")


def normalize_line(line: str, mask_numbers: bool = False) -> str:
    """One output line with volatile parts replaced; numbers too when results may change."""
    out = line.rstrip()
    for pattern, repl in _VOLATILE:
        out = pattern.sub(repl, out)
    if mask_numbers:
        out = _NUMBER.sub("<n>", out)
    return out


def missing_output_lines(expected: str, actual: str, mask_numbers: bool = False) -> list:
    """Lines of `expected` (normalised, in order) that do not appear as a subsequence of `actual`.

    When numbers are masked (results may change), the rows of a table ranked by a result (`name <n> <n>`,
    three rows or more) may come in another order: the block matches a block of as many rows of the
    same shape that shares at least half of its row names."""
    want = [normalize_line(x, mask_numbers) for x in expected.splitlines() if x.strip()]
    have = [normalize_line(x, mask_numbers) for x in actual.splitlines() if x.strip()]
    missing = []
    position = 0
    index = 0
    while index < len(want):
        block = _ranked_rows(want, index) if mask_numbers else 0
        if block:
            found = _reranked_block(want[index:index + block], have, position)
            if found is not None:
                position, index = found, index + block
                continue
        line = want[index]
        try:
            position = have.index(line, position) + 1
        except ValueError:
            missing.append(line)
        index += 1
    return missing


# A masked table row: a label without digits, `=` or `:`, then two or more number cells.
_TABLE_ROW = re.compile(r"^(?P<label>[^\d=:<>]*[^\d=:<>\s])(?P<cells>(\s+<n>){2,})$")


def _row(line: str) -> tuple[str, int] | None:
    """(label, number of cells) of a masked table row."""
    match = _TABLE_ROW.match(line)
    return (match.group("label").strip(), match.group("cells").count("<n>")) if match else None


def _ranked_rows(lines: list, start: int) -> int:
    """How many table rows of one shape run from `start` (0 unless at least three)."""
    first = _row(lines[start])
    count = 0
    while first and start + count < len(lines) and (row := _row(lines[start + count])) and row[1] == first[1]:
        count += 1
    return count if count >= 3 else 0


def _reranked_block(block: list, have: list, position: int) -> int | None:
    """The position after the first run of rows in `have` (from `position`) that stands for `block`:
    as many rows with the same cells, sharing at least half of the labels; None if there is none."""
    labels = [_row(line) for line in block]
    for start in range(position, len(have) - len(block) + 1):
        rows = [_row(line) for line in have[start:start + len(block)]]
        if any(r is None or r[1] != labels[0][1] for r in rows):
            continue
        shared = len({r[0] for r in rows} & {r[0] for r in labels})
        if 2 * shared >= len(block):
            return start + len(block)
    return None
