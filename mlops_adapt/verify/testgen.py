"""Test generation: a self-contained pytest file per adaptation that runs the script and asserts its side effect.

The generated file imports nothing from mlops_adapt (users keep it in their CI): it inlines the
sandbox runner, the task's support modules (e.g. the W&B offline-run reader), the shared checks
of `testkit.py` and the task's own `checks.py` from its task folder.

Every task: the script exits 0, and every line the original printed appears, in order, in the
adapted script's output (after normalising durations, ids, hashes and temp paths; numbers are
masked too for tasks whose SPEC says printed numbers may change). What each task asserts beyond
that is written in its checks.py docstring.
"""

from __future__ import annotations

import ast
import re
import hashlib
import json
import os
import tempfile
from pathlib import Path

from mlops_adapt.analysis.facts import analyze
from mlops_adapt.options import AdaptOptions

HERE = Path(__file__).resolve().parent
SCRIPT_LEVEL_KINDS = ("constant", "argparse", "config-dict", "dataclass")
FLAVORS = {"sklearn": "sklearn", "torch": "pytorch", "xgboost": "xgboost", "lightgbm": "lightgbm"}
def _module_body(path: Path) -> str:
    """A module's source for inlining: no docstring, no `from __future__` line, no `inline: drop` blocks.

    The dropped blocks hold the imports and placeholder constants that make a check module
    importable on its own; in the generated file those names are already defined.
    """
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    skip_until = 0
    for node in tree.body:
        is_doc = isinstance(node, ast.Expr) and isinstance(
            getattr(node, "value", None), ast.Constant
        )
        if is_doc or (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            skip_until = node.end_lineno or skip_until
            continue
        break
    kept: list[str] = []
    dropping = False
    for line in text.splitlines()[skip_until:]:
        marker = line.strip()
        if marker == "# inline: drop-start":
            dropping = True
        elif marker == "# inline: drop-end":
            dropping = False
        elif not dropping:
            kept.append(line)
    return "\n".join(kept).strip() + "\n"


def _literal(value: str | None):
    if value is None:
        return None
    try:
        result = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return None
    return result if isinstance(result, (int, float, str, bool)) else None


def expectations(original: str, candidate: str, task: str) -> dict:
    """What the generated test will require, read from the original's analysis facts.

    Required are the hyperparameters that define the trained model (not seeds or split sizes)
    and the results the script reports; V4 names the rest as recommendations.
    """
    from mlops_adapt.analysis.cache import parsed
    from mlops_adapt.verify.rules.tracking_common import reported_names, required_hyperparam

    facts = analyze(original)
    seen: set[str] = set()
    script_level, ctor = [], []
    constants = _constant_values(original)
    for hp in facts.hyperparams:
        if hp.name in seen or not required_hyperparam(hp, facts):
            continue
        seen.add(hp.name)
        value = _literal(hp.value) if hp.value is not None else constants.get(hp.name)
        entry = {"name": hp.name, "value": value}
        (script_level if hp.kind in SCRIPT_LEVEL_KINDS else ctor).append(entry)
    shown = reported_names(parsed(original))
    reported = [
        m for m in facts.metrics
        if m.kind == "printed" or set(re.findall(r"[A-Za-z_]\w*", m.expr)) & shown
    ]
    metrics = sorted({m.name for m in reported})
    labels = _printed_labels(original, {m.name: set(re.findall(r"[A-Za-z_]\w*", m.expr)) for m in reported})
    cv_metrics = sorted({m.name for m in reported if m.kind == "cv"})
    flavors = sorted({FLAVORS[m.framework] for m in facts.models if m.framework in FLAVORS})
    return {
        "hyperparams": script_level,
        "ctor_hyperparams": ctor,
        "metrics": metrics,
        "metric_labels": labels,
        "cv_metrics": cv_metrics,
        "flavors": flavors,
        "trains_with_optimizer": any(loop.kind == "torch-loop" for loop in facts.loops),
    }


def _printed_labels(original: str, names: dict[str, set[str]]) -> dict[str, str]:
    """Each reported metric -> the words its print puts before it (`print(f"balanced accuracy: {score}")`)."""
    try:
        tree = ast.parse(original)
    except SyntaxError:
        return {}
    labels: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print"):
            continue
        for arg in node.args:
            if not isinstance(arg, ast.JoinedStr):
                continue
            text = ""
            for part in arg.values:
                if isinstance(part, ast.Constant):
                    text = str(part.value)
                    continue
                used = {n.id for n in ast.walk(part) if isinstance(n, ast.Name)}
                label = re.sub(r"[^a-z ]", " ", text.lower()).strip()
                for metric, variables in names.items():
                    if used & variables and label and metric not in labels:
                        labels[metric] = label
                text = ""
    return labels


def _constant_values(original: str) -> dict[str, object]:
    """Module-level `NAME = literal` settings, for the VALUE rule of hyperparameters."""
    try:
        tree = ast.parse(original)
    except SyntaxError:
        return {}
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _literal(ast.unparse(node.value))
            if value is not None:
                found[node.targets[0].id] = value
    return found


# Original runs are cached by content: the bench runs many tasks on one script.
_ORIGINAL_CACHE: dict[str, dict] = {}


def _cache_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "mlops-adapt-v5-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sandbox_repo(needs_repo: bool, original: str) -> bool:
    """Whether V5 runs the original and its adaptation in the sandbox's git repository: not when
    the original makes its own (sandbox.makes_own_repo)."""
    from mlops_adapt.verify.sandbox import makes_own_repo

    return needs_repo and not makes_own_repo(original)


def original_behaviour(
    original: str,
    repo: bool,
    timeout: float,
    extra_files: dict | None = None,
    script_subdir: str | None = None,
) -> dict:
    """Run the original once in a sandbox: its stdout, exit status, and (in a repo) the files git tracks.

    `script_subdir` places the script inside the sandbox repository (see sandbox.make_sandbox),
    where it sits in the user's repository.
    """
    import subprocess
    import sys

    from mlops_adapt.verify.sandbox import run_script

    # The format version: bump it when the recorded behaviour gains a field (files written, ...).
    key_parts = ["behaviour-v3", original, str(repo), sys.executable, json.dumps(sorted(extra_files or {}))]
    if script_subdir is not None:
        key_parts.append(f"subdir={script_subdir}")
    key_text = "\0".join(key_parts)
    key = hashlib.sha256(key_text.encode("utf-8")).hexdigest()[:24]
    if key in _ORIGINAL_CACHE:
        return _ORIGINAL_CACHE[key]
    disk = _cache_dir() / f"original-{key}.json"
    if disk.is_file():
        try:
            _ORIGINAL_CACHE[key] = json.loads(disk.read_text(encoding="utf-8"))
            return _ORIGINAL_CACHE[key]
        except ValueError:
            pass
    run = run_script(
        original,
        timeout=timeout,
        extra_files=extra_files,
        repo=repo,
        mlflow_template=mlflow_template(),
        script_subdir=script_subdir if repo else None,
    )
    git_files: list[str] = []
    from mlops_adapt.verify.testkit import written_files

    files = written_files(run.workdir) if run.ok else []
    if repo and run.ok:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=run.workdir, capture_output=True, text=True, check=False
        )
        git_files = [f for f in listed.stdout.splitlines() if f]
    result = {
        "ok": run.ok,
        "stdout": run.stdout,
        "error": run.stderr_tail(),
        "git_files": git_files,
        "files": files,
    }
    _ORIGINAL_CACHE[key] = result
    tmp = disk.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(result), encoding="utf-8")
    os.replace(tmp, disk)
    _remove_tree(run.root)
    return result


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def mlflow_template() -> str | None:
    """A migrated empty MLflow sqlite store to copy into sandboxes (saves ~4 s per run); None if unavailable."""
    import subprocess
    import sys
    from importlib import metadata

    try:
        version = metadata.version("mlflow")
    except metadata.PackageNotFoundError:
        return None
    path = _cache_dir() / f"mlflow-{version}-template-v2.db"
    if path.is_file():
        return str(path)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    code = (
        "import sys; from mlflow.tracking import MlflowClient;"
        "MlflowClient(tracking_uri='sqlite:///' + sys.argv[1]).search_experiments()"
    )
    # In a scratch folder: MLflow records the creator's `./mlruns` as the default artifact place.
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp)], capture_output=True, timeout=120, check=False,
            cwd=scratch,
        )
    if done.returncode != 0 or not tmp.is_file():
        return None
    os.replace(tmp, path)
    return str(path)


def generate_test(
    original: str,
    candidate: str,
    task: str,
    options: AdaptOptions | None = None,
    expected: dict | None = None,
) -> str:
    """The pytest source that checks `candidate` (at options.path, or $MLOPS_ADAPT_SCRIPT) for `task`.

    `expected` is the original's behaviour (see original_behaviour); when omitted it is measured
    now by running the original in a sandbox.
    """
    from mlops_adapt.tasks import TASKS, task_dir
    from mlops_adapt.verify.rules.base import rules_for

    options = options or AdaptOptions()
    spec = TASKS[task]
    repo = sandbox_repo(spec.needs_repo, original)
    extra = _extra_files(options)
    if expected is None:
        subdir = None
        if repo and options.path and Path(options.path).is_file():
            from mlops_adapt.verify.sandbox import repo_subdir

            subdir = repo_subdir(options.path)
        expected = original_behaviour(
            original, repo, options.timeout, _read_extra(options, extra), script_subdir=subdir
        )
    facts = expectations(original, candidate, task)
    script = options.path or "train.py"
    constants = {
        "TASK": task,
        "SCRIPT": script,
        "EXTRA_FILES": extra,
        "TIMEOUT": float(options.timeout),
        "REPO": repo,
        "MASK_NUMBERS": spec.output_numbers_may_change,
        "EXPECTED_STDOUT": expected["stdout"] if expected.get("ok") else None,
        "ORIGINAL_ERROR": None if expected.get("ok") else expected.get("error", ""),
        "ORIGINAL_GIT_FILES": expected.get("git_files", []),
        "ORIGINAL_FILES": expected.get("files", []),
        "HYPERPARAMS": facts["hyperparams"],
        "CTOR_HYPERPARAMS": facts["ctor_hyperparams"],
        "METRICS": facts["metrics"],
        "METRIC_LABELS": facts["metric_labels"],
        "CV_METRICS": facts["cv_metrics"],
        "FLAVORS": facts["flavors"],
        "DIRECTION": None,
        "TRAINS_WITH_OPTIMIZER": facts["trains_with_optimizer"],
    }
    constants.update(rules_for(task).test_constants(original, candidate, facts))
    parts = [
        (
            f'"""Generated by mlops-adapt: checks that {Path(script).name} still does its job after `{task}`.\n\n'
            "Keep it in your CI. It runs the script in an isolated temp sandbox (bubblewrap: no network,\n"
            "allow-listed environment; temp MLflow sqlite store, W&B offline, Optuna trials capped, temp\n"
            "git + DVC repo) and asserts the side effect through the real client APIs. It needs `bwrap`\n"
            "(or MLOPS_ADAPT_UNSAFE_SANDBOX=1). Set MLOPS_ADAPT_SCRIPT to check another path.\n"
            '"""\n'
        ),
        "from __future__ import annotations\n",
        "import pytest\n",
        "# --- sandbox runner (inlined from mlops_adapt.verify.sandbox) ---\n",
        _module_body(HERE / "sandbox.py"),
        "# The sandbox writes this as sitecustomize.py (the text of mlops_adapt/verify/sandbox_hooks.py).\n"
        "HOOKS_SOURCE = r'''" + (HERE / "sandbox_hooks.py").read_text(encoding="utf-8") + "'''\n",
        "# The sandbox runs this first, as the script's user (the text of mlops_adapt/verify/sandbox_launcher.py).\n"
        "LAUNCHER_SOURCE = r'''" + (HERE / "sandbox_launcher.py").read_text(encoding="utf-8") + "'''\n",
    ]
    for support in spec.test_support:
        parts += [f"# --- inlined from mlops_adapt.verify.{support} ---\n", _module_body(HERE / f"{support}.py")]
    parts.append("# --- what this adaptation must do ---\n")
    parts.append("".join(f"{name} = {_py(value)}\n" for name, value in constants.items()))
    parts.append("# --- shared checks (inlined from mlops_adapt.verify.testkit) ---\n")
    parts.append(_module_body(HERE / "testkit.py"))
    parts.append(f"# --- {task} checks (inlined from its task folder's checks.py) ---\n")
    parts.append(_module_body(task_dir(task) / "checks.py"))
    return "\n".join(parts)


def _py(value) -> str:
    """A Python literal for a JSON-like value (repr keeps True/None, unlike json.dumps)."""
    return repr(value)


def _extra_files(options: AdaptOptions) -> list[str]:
    raw = options.opt("sandbox_files") or ""
    return [p.strip() for p in raw.split(",") if p.strip()]


def _read_extra(options: AdaptOptions, names: list[str]) -> dict:
    if not names or not options.path:
        return {}
    base = Path(options.path).resolve().parent
    return {name: (base / name).read_bytes() for name in names if (base / name).is_file()}


# --- the kept test (`apply --write --emit-test DIR`) ---------------------------------------------

LOG_PARAM_CALLS = {"log_param": "params", "log_params": "params", "log_metric": "metrics", "log_metrics": "metrics"}
KEPT_MIN_TIMEOUT = 600.0  # a CI machine may be slower than the sandbox budget assumes


def logged_keys(candidate: str) -> dict[str, list[str]]:
    """The literal keys the adapted code logs: {"params": [...], "metrics": [...]}.

    MLflow's log_param(s)/log_metric(s); W&B's init(config={...}), config.update({...}) and
    log({...}). Keys built at run time (f-strings, variables) are not listed; the test then asks
    for at least one key of the kind.
    """
    found: dict[str, list[str]] = {"params": [], "metrics": []}
    try:
        tree = ast.parse(candidate)
    except SyntaxError:
        return found

    def dict_keys(node) -> list[str]:
        if isinstance(node, ast.Dict):
            return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        return []

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, owner = node.func.attr, ast.unparse(node.func.value)
        first = node.args[0] if node.args else None
        if name in LOG_PARAM_CALLS:
            kind = LOG_PARAM_CALLS[name]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[kind].append(first.value)
            found[kind] += dict_keys(first)
        elif name == "init" and owner == "wandb":
            for keyword in node.keywords:
                if keyword.arg == "config":
                    found["params"] += dict_keys(keyword.value)
        elif name == "update" and owner.endswith("config"):
            found["params"] += dict_keys(first)
        elif name == "log" and (owner == "wandb" or owner.endswith("run")):
            found["metrics"] += dict_keys(first)
    return {kind: list(dict.fromkeys(keys)) for kind, keys in found.items()}


def added_print_labels(original: str, candidate: str) -> list[str]:
    """The leading literal text of each print the adaptation added (`Evaluation after pruning:`)."""

    def labels(source: str) -> list[str]:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return []
        found = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print" and node.args:
                first = node.args[0]
                if isinstance(first, ast.JoinedStr) and first.values:
                    first = first.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    label = first.value.strip()
                    if len(label) >= 4:
                        found.append(label)
        return found

    before = set(labels(original))
    return list(dict.fromkeys(label for label in labels(candidate) if label not in before))


def suggested_names(candidate: str) -> list[str]:
    """Literal names of `trial.suggest_*("name", ...)` calls."""
    try:
        tree = ast.parse(candidate)
    except SyntaxError:
        return []
    return list(dict.fromkeys(
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr.startswith("suggest_") and node.args
        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    ))


def _kept_function(task: str) -> str:
    """The source of `kept_side_effect` (and the `_kept` helpers) from the task's checks.py."""
    from mlops_adapt.tasks import task_dir

    text = (task_dir(task) / "checks.py").read_text(encoding="utf-8")
    tree = ast.parse(text)
    parts = [
        ast.get_source_segment(text, node, padded=True)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith(("kept_", "_kept_"))
    ]
    if not parts:
        raise LookupError(f"{task}: its checks.py has no kept_side_effect")
    return "\n\n\n".join(parts) + "\n"


def _relative_script(script: str, test_dir: str | None) -> str:
    """The script's path as the test file will see it: relative to the test's folder if possible."""
    path = Path(script).resolve()
    if test_dir is None:
        return str(path)
    return os.path.relpath(path, Path(test_dir).resolve())


def generate_kept_test(
    original: str, candidate: str, task: str, options: AdaptOptions | None = None,
    test_dir: str | None = None,
) -> str:
    """The short pytest file a user keeps in CI for one adaptation (see verify/kept.py).

    Nothing runs to write it: the keys come from the adapted code, not from a recorded run, and
    no printed value is pinned, so a changed hyperparameter default keeps it green.
    """
    from mlops_adapt.tasks import TASKS

    options = options or AdaptOptions()
    spec = TASKS[task]
    script = options.path or "train.py"
    keys = logged_keys(candidate)
    constants = {
        "TASK": task,
        "SCRIPT": _relative_script(script, test_dir),
        "EXTRA_FILES": _extra_files(options),
        "TIMEOUT": max(float(options.timeout), KEPT_MIN_TIMEOUT),
        "REPO": spec.needs_repo,
        "LOGGED_PARAMS": keys["params"],
        "LOGGED_METRICS": keys["metrics"],
        "ADDED_OUTPUT": added_print_labels(original, candidate),
        "SUGGESTED": suggested_names(candidate),
    }
    kept = _kept_function(task)
    functions = [n for n in ast.parse(kept).body if isinstance(n, ast.FunctionDef)]
    kept_doc = ast.get_docstring(functions[-1]) or "see kept_side_effect"
    name = Path(script).name
    header = (
        f'"""Generated by mlops-adapt: checks that {name} still works after `{task}`.\n\n'
        f"Keep it in your CI. It runs {name} in a temp folder against temporary stores (MLflow on\n"
        "sqlite, W&B offline, a fresh git + DVC repository where the task needs one) and checks the\n"
        f"side effect: {kept_doc.splitlines()[0]}\n"
        "It checks keys and sanity, not printed values, so retuning a hyperparameter keeps it green.\n"
        "MLOPS_ADAPT_SCRIPT=path checks another copy of the script. Regenerate it with\n"
        f"`mlops-adapt apply {task} {name} --write --emit-test DIR`.\n"
        '"""\n'
    )
    return "\n\n\n".join(part.strip("\n") for part in [
        header,
        _module_body(HERE / "kept.py").replace(
            "# inline: constants\n",
            "# What this adaptation must keep doing (read from the adapted code):\n"
            + "".join(f"{key} = {_py(value)}\n" for key, value in constants.items()),
        ),
        kept,
        (
            "def test_side_effect(run):\n"
            "    assert run.returncode == 0, \"the script failed; see test_script_runs\"\n"
            "    kept_side_effect(run)\n"
        ),
    ]) + "\n"
