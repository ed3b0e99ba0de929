"""Sandbox runner: runs a script in a temp dir with a scrubbed environment and temp MLOps stores.

This module is stdlib-only on purpose: testgen inlines its source into every generated test,
so the tests users keep in their CI run the script exactly as V5 does, without mlops_adapt.
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

# Environment variables that may carry credentials or point at a real server/repository.
SECRET_SUFFIXES = ("_TOKEN", "_KEY", "_SECRET", "_PASSWORD", "_PASSWD", "_CREDENTIALS", "_AUTH")
SECRET_PREFIXES = (
    "OPENAI_",
    "WANDB_",
    "MLFLOW_",
    "AWS_",
    "GITHUB_",
    "GH_",
    "GITLAB_",
    "AZURE_",
    "GOOGLE_",
    "GCP_",
    "HF_",
    "HUGGING_FACE_",
    "DATABRICKS_",
    "DVC_",
    "GIT_",
    "OPTUNA_",
    "ANTHROPIC_",
    "SSH_",
    "NETRC",
    "MLOPS_ADAPT_",
)
SECRET_NAMES = {"TOKEN", "PASSWORD", "SECRET", "API_KEY", "PYTHONSTARTUP"}

# How many Optuna trials a study may run in the sandbox (the hpo recipe also reads it).
DEFAULT_N_TRIALS = 3

# Installed as sitecustomize.py on the sandbox's PYTHONPATH: it observes side effects that no
# store records (Optuna trials, pruning, quantization, cross-validation scores) without touching
# the user's code.
HOOKS_SOURCE = r"""
import atexit, importlib.abc, importlib.util, json, os, sys

_OUT = os.environ.get("MLOPS_ADAPT_OBSERVE")
_STATE = {"optimizer_steps": 0, "forward_after": {}}

def _emit(event):
    if not _OUT:
        return
    try:
        with open(_OUT, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(event, default=str) + "\n")
    except Exception:
        pass

def _sparsity(module, name):
    try:
        t = getattr(module, name)
        return float((t == 0).sum().item()) / max(1, t.numel())
    except Exception:
        return None

def _patch_optuna(mod):
    Study = mod.Study
    original = Study.optimize
    def optimize(self, func, n_trials=None, *args, **kwargs):
        cap = int(os.environ.get("MLOPS_ADAPT_N_TRIALS", "3"))
        if n_trials is None or n_trials > cap:
            n_trials = cap
        try:
            return original(self, func, n_trials, *args, **kwargs)
        finally:
            try:
                trials = [{"state": t.state.name, "params": t.params, "value": t.value} for t in self.trials]
                best = None
                try:
                    best = self.best_params
                except Exception:
                    pass
                _emit({"event": "optuna.optimize", "directions": [d.name for d in self.directions],
                       "trials": trials, "best_params": best})
            except Exception as err:
                _emit({"event": "optuna.error", "error": repr(err)})
    Study.optimize = optimize

def _count_forward(module, key):
    def hook(mod, args, output):
        _STATE["forward_after"][key] = _STATE["forward_after"].get(key, 0) + 1
    try:
        module.register_forward_hook(hook)
    except Exception:
        pass

def _patch_prune(mod):
    for fname in ("l1_unstructured", "random_unstructured", "ln_structured", "random_structured",
                  "identity", "custom_from_mask", "remove"):
        original = getattr(mod, fname, None)
        if original is None:
            continue
        def wrapper(module, name, *args, _original=original, _fname=fname, **kwargs):
            result = _original(module, name, *args, **kwargs)
            key = "prune:%s:%d" % (type(module).__name__, id(module))
            _emit({"event": "prune." + _fname, "module": type(module).__name__, "name": name,
                   "sparsity": _sparsity(module, name), "optimizer_steps": _STATE["optimizer_steps"]})
            if _fname != "remove" and key not in _STATE["forward_after"]:
                _STATE["forward_after"][key] = 0
                _count_forward(module, key)
            return result
        setattr(mod, fname, wrapper)
    original_global = getattr(mod, "global_unstructured", None)
    if original_global is not None:
        def global_unstructured(parameters, *args, **kwargs):
            parameters = list(parameters)
            result = original_global(parameters, *args, **kwargs)
            for module, name in parameters:
                key = "prune:%s:%d" % (type(module).__name__, id(module))
                _emit({"event": "prune.global_unstructured", "module": type(module).__name__, "name": name,
                       "sparsity": _sparsity(module, name), "optimizer_steps": _STATE["optimizer_steps"]})
                if key not in _STATE["forward_after"]:
                    _STATE["forward_after"][key] = 0
                    _count_forward(module, key)
            return result
        mod.global_unstructured = global_unstructured

def _patch_quantize(mod):
    original = getattr(mod, "quantize_dynamic", None)
    if original is None or getattr(original, "_observed", False):
        return
    def quantize_dynamic(model, *args, **kwargs):
        result = original(model, *args, **kwargs)
        try:
            quantized = [type(m).__module__ + "." + type(m).__name__ for m in result.modules()
                         if "quantized" in type(m).__module__]
        except Exception:
            quantized = []
        _emit({"event": "quantize_dynamic", "quantized_modules": quantized,
               "optimizer_steps": _STATE["optimizer_steps"]})
        key = "quantized:%d" % id(result)
        _STATE["forward_after"][key] = 0
        _count_forward(result, key)
        return result
    quantize_dynamic._observed = True
    mod.quantize_dynamic = quantize_dynamic

def _patch_optim(mod):
    register = getattr(mod, "register_optimizer_step_post_hook", None)
    if register is None:
        return
    def count(optimizer, args, kwargs):
        _STATE["optimizer_steps"] += 1
    register(count)

def _patch_cross_validation(mod):
    def _numbers(values):
        try:
            return [float(v) for v in values]
        except Exception:
            return None
    for fname in ("cross_val_score", "cross_validate"):
        original = getattr(mod, fname, None)
        if original is None or getattr(original, "_observed", False):
            continue
        def wrapper(*args, _original=original, _fname=fname, **kwargs):
            result = _original(*args, **kwargs)
            try:
                if isinstance(result, dict):
                    scores = {k: _numbers(v) for k, v in result.items() if k.startswith(("test_", "train_"))}
                else:
                    scores = {"score": _numbers(result)}
                _emit({"event": "cv_scores", "function": _fname,
                       "scores": {k: v for k, v in scores.items() if v is not None}})
            except Exception:
                pass
            return result
        wrapper._observed = True
        setattr(mod, fname, wrapper)

_PATCHES = {
    "sklearn.model_selection": _patch_cross_validation,
    "optuna.study.study": _patch_optuna,
    "torch.nn.utils.prune": _patch_prune,
    "torch.ao.quantization.quantize": _patch_quantize,
    "torch.ao.quantization": _patch_quantize,
    "torch.quantization": _patch_quantize,
    "torch.optim.optimizer": _patch_optim,
}

class _PostImport(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        patch = _PATCHES.get(fullname)
        if patch is None:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original_exec = loader.exec_module
        def exec_module(module):
            original_exec(module)
            try:
                patch(module)
            except Exception as err:
                _emit({"event": "hook.error", "module": fullname, "error": repr(err)})
        loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _PostImport())

@atexit.register
def _report():
    if _STATE["forward_after"]:
        _emit({"event": "forward_calls", "counts": _STATE["forward_after"],
               "optimizer_steps": _STATE["optimizer_steps"]})
"""


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


def is_secret_var(name: str) -> bool:
    """True for environment variables the sandboxed script must not see."""
    upper = name.upper()
    return (
        upper in SECRET_NAMES
        or upper.endswith(SECRET_SUFFIXES)
        or upper.startswith(SECRET_PREFIXES)
        or "PASSWORD" in upper
        or "SECRET" in upper
    )


def scrubbed_env(base: dict | None = None) -> dict:
    """A copy of the environment without credentials or pointers to real servers."""
    source = dict(os.environ if base is None else base)
    return {k: v for k, v in source.items() if not is_secret_var(k)}


def sandbox_env(
    root: Path,
    n_trials: int = DEFAULT_N_TRIALS,
    base: dict | None = None,
    import_paths: list | None = None,
) -> dict:
    """The scrubbed environment with every backend pointed at stores under `root`.

    PYTHONPATH starts with the observation hooks, then the caller's own entries, then
    `import_paths` (the script's folder, so its sibling modules still import).
    """
    env = scrubbed_env(base)
    python_path = [str(root / "hooks"), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    python_path += [str(p) for p in (import_paths or [])]
    home = root / "home"
    db = root / "mlflow.db"
    env.update(
        {
            "HOME": str(home),
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
    """Lay out a sandbox: root/script, root/work (the cwd), root/home, root/hooks; returns (root, script, env).

    With `repo` and a `script_subdir` (see repo_subdir), the script sits where it sits in the
    user's repository, inside the sandbox repository (`work/src/script.py`, committed with the
    initial commit), so code that looks for the repository from the script's own folder
    (`Repo(os.path.dirname(__file__), search_parent_directories=True)`) finds it. The working
    directory stays the repository root.
    """
    root = Path(root or tempfile.mkdtemp(prefix="mlops-adapt-sandbox-")).resolve()
    for sub in ("work", "home", "hooks", "wandb", "dvc-site-cache"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "hooks" / "sitecustomize.py").write_text(HOOKS_SOURCE, encoding="utf-8")
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
    env = sandbox_env(root, n_trials, import_paths=import_paths)
    if repo:
        init_repo(root / "work", env)
    return root, script, env


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
) -> SandboxRun:
    """Run `script_text` as a script in a fresh sandbox and return what happened.

    `script_subdir` places the script inside the sandbox repository (see make_sandbox).
    """
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
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(script), *(args or [])],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so a timeout can kill the whole process group
    )
    timed_out = False
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            proc.kill()
        stdout, stderr = proc.communicate()
        stderr += f"\n[sandbox] timed out after {timeout:g} s"
    return SandboxRun(
        returncode=None if timed_out else proc.returncode,
        stdout=stdout,
        stderr=stderr,
        seconds=time.monotonic() - started,
        timed_out=timed_out,
        root=root,
        workdir=workdir,
        mlflow_uri=env["MLFLOW_TRACKING_URI"],
        wandb_dir=Path(env["WANDB_DIR"]),
        observations=read_observations(root),
    )


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
    """Lines of `expected` (normalised, in order) that do not appear as a subsequence of `actual`."""
    want = [normalize_line(x, mask_numbers) for x in expected.splitlines() if x.strip()]
    have = [normalize_line(x, mask_numbers) for x in actual.splitlines() if x.strip()]
    missing = []
    position = 0
    for line in want:
        try:
            position = have.index(line, position) + 1
        except ValueError:
            missing.append(line)
    return missing
