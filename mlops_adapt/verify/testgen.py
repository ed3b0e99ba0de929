"""Test generation: a self-contained pytest file per adaptation that runs the script and asserts its side effect.

The generated file imports nothing from mlops_adapt (users keep it in their CI): it inlines the
sandbox runner, and for W&B the offline-run reader. What it asserts, per task:

- every task: the script exits 0, and every line the original printed appears, in order, in the
  adapted script's output (after normalising durations, ids, hashes and temp paths; numbers are
  masked too for hpo-optuna, whose retrained model may score differently);
- track-mlflow: a finished MLflow run; each script-level hyperparameter (constant, argparse
  default, config dict key, dataclass field) is a param, matched by NAME (case and separators
  ignored, prefixes like "model/" allowed) or, failing that, by its literal VALUE; each metric
  is logged under a key that contains its name (or is contained in it); a cross-validation
  result (`scores_mean`/`scores_std`, one result) may instead be logged by value: the mean or
  std of the fold scores the script computed (observed in the sandbox), or every fold score in
  one logged series;
- track-wandb: the same rule on the offline run's config and its summary/history, and the run
  finished (an exit record with code 0);
- register-mlflow: a registered model version exists, with the flavor of the trained model;
- hpo-optuna: >= 2 trials completed, they suggested at least one of the script's hyperparameters,
  the study's direction fits the objective's metric, and the best params are printed;
- optimize-prune: a torch pruning call zeroed weights after training, it was made permanent
  (`prune.remove`), the pruned model was evaluated again and a result was printed;
- optimize-quantize: `quantize_dynamic` produced quantized Linear layers, the quantized model
  was evaluated and a result was printed;
- translate-gitpython-dvc: in a fresh git + DVC repo, git tracks `.dvc` files, DVC's cache holds
  their content, git tracks none of the data files, and every data file the original committed
  to git is tracked by DVC instead (project files, is_project_file: code and configs such as
  .yaml/.json/.toml/.txt/.ini/.cfg/.sh/.ipynb, are not data unless the original adds them as
  data); the output equals the original's (commit hashes normalised).
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import os
import tempfile
from pathlib import Path

import libcst as cst

from mlops_adapt.analysis.facts import analyze
from mlops_adapt.options import AdaptOptions

HERE = Path(__file__).resolve().parent
SCRIPT_LEVEL_KINDS = ("constant", "argparse", "config-dict", "dataclass")
FLAVORS = {"sklearn": "sklearn", "torch": "pytorch", "xgboost": "xgboost", "lightgbm": "lightgbm"}
MAXIMIZE_WORDS = ("acc", "f1", "auc", "r2", "precision", "recall", "score", "iou", "map")
MINIMIZE_WORDS = ("loss", "error", "mse", "mae", "rmse", "perplexity", "err")
REPO_TASKS = ("translate-gitpython-dvc",)
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


def original_data_paths(original: str) -> list[str]:
    """The paths (patterns, `*` for what is not known statically) the original adds to git as data."""
    from mlops_adapt.analysis import gitpython as gp
    from mlops_adapt.analysis.cache import parsed

    try:
        module = parsed(original)
    except cst.ParserSyntaxError:
        return []
    consts = gp.Constants(module)
    found: list[str] = []
    for op in gp.find_git_ops(module):
        if op.kind != "data" or op.op not in ("add", "remove"):
            continue
        for text in op.paths:
            try:
                pattern = gp.path_pattern(cst.parse_expression(text), consts)
            except cst.ParserSyntaxError:
                continue
            if pattern and pattern.strip("*/"):
                found.append(pattern)
    return sorted(dict.fromkeys(found))


def _module_body(path: Path) -> str:
    """A module's source without its docstring and `from __future__` line, for inlining."""
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
    return "\n".join(text.splitlines()[skip_until:]).strip() + "\n"


def expected_direction(candidate: str, metric_names: list[str]) -> str | None:
    """'maximize'/'minimize' from the name the objective returns, else from the metrics, else None."""
    names: list[str] = []
    try:
        tree = ast.parse(candidate)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.args.args:
                if node.args.args[0].arg != "trial":
                    continue
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Return) and sub.value is not None:
                        names.append(ast.unparse(sub.value))
    except SyntaxError:
        pass
    for group in (names, metric_names):
        kinds = {_direction_of(n) for n in group} - {None}
        if len(kinds) == 1:
            return kinds.pop()
        if kinds:
            return None
    return None


def _direction_of(name: str) -> str | None:
    low = name.lower()
    if any(w in low for w in MINIMIZE_WORDS):
        return "minimize"
    if any(w in low for w in MAXIMIZE_WORDS):
        return "maximize"
    return None


def _literal(value: str | None):
    if value is None:
        return None
    try:
        result = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return None
    return result if isinstance(result, (int, float, str, bool)) else None


def expectations(original: str, candidate: str, task: str) -> dict:
    """What the generated test will require, read from the original's analysis facts."""
    facts = analyze(original)
    seen: set[str] = set()
    script_level, ctor = [], []
    for hp in facts.hyperparams:
        if hp.name in seen:
            continue
        seen.add(hp.name)
        entry = {"name": hp.name, "value": _literal(hp.value)}
        (script_level if hp.kind in SCRIPT_LEVEL_KINDS else ctor).append(entry)
    metrics = sorted({m.name for m in facts.metrics})
    cv_metrics = sorted({m.name for m in facts.metrics if m.kind == "cv"})
    flavors = sorted({FLAVORS[m.framework] for m in facts.models if m.framework in FLAVORS})
    return {
        "hyperparams": script_level,
        "ctor_hyperparams": ctor,
        "metrics": metrics,
        "cv_metrics": cv_metrics,
        "flavors": flavors,
        "direction": expected_direction(candidate, metrics) if task == "hpo-optuna" else None,
        "trains_with_optimizer": any(loop.kind == "torch-loop" for loop in facts.loops),
    }


# Original runs are cached by content: the bench runs many tasks on one script.
_ORIGINAL_CACHE: dict[str, dict] = {}


def _cache_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "mlops-adapt-v5-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


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

    key_parts = [original, str(repo), sys.executable, json.dumps(sorted(extra_files or {}))]
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
    path = _cache_dir() / f"mlflow-{version}-template.db"
    if path.is_file():
        return str(path)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    code = (
        "import sys; from mlflow.tracking import MlflowClient;"
        "MlflowClient(tracking_uri='sqlite:///' + sys.argv[1]).search_experiments()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp)], capture_output=True, timeout=120, check=False
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
    options = options or AdaptOptions()
    repo = task in REPO_TASKS
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
        "MASK_NUMBERS": task == "hpo-optuna",
        "EXPECTED_STDOUT": expected["stdout"] if expected.get("ok") else None,
        "ORIGINAL_ERROR": None if expected.get("ok") else expected.get("error", ""),
        "ORIGINAL_GIT_FILES": expected.get("git_files", []),
        "HYPERPARAMS": facts["hyperparams"],
        "CTOR_HYPERPARAMS": facts["ctor_hyperparams"],
        "METRICS": facts["metrics"],
        "CV_METRICS": facts["cv_metrics"],
        "FLAVORS": facts["flavors"],
        "DIRECTION": facts["direction"],
        "TRAINS_WITH_OPTIMIZER": facts["trains_with_optimizer"],
    }
    if task == "hpo-optuna":
        from mlops_adapt.analysis.hpo import NOT_TUNABLE

        # Seeds, split sizes and fold settings are hyperparameters to log, not ones to tune.
        constants["TUNABLE_NAMES"] = [
            hp["name"] for hp in facts["hyperparams"] + facts["ctor_hyperparams"]
            if not NOT_TUNABLE.search(hp["name"].rsplit(".", 1)[-1].lower())
        ]
    if repo:
        constants["PROJECT_FILE_SUFFIXES"] = PROJECT_FILE_SUFFIXES
        constants["DATA_PATHS"] = original_data_paths(original)
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
    ]
    if task == "track-wandb":
        parts += [
            "# --- W&B offline run reader (inlined from mlops_adapt.verify.wandb_offline) ---\n",
            _module_body(HERE / "wandb_offline.py"),
        ]
    parts.append("# --- what this adaptation must do ---\n")
    parts.append("".join(f"{name} = {_py(value)}\n" for name, value in constants.items()))
    parts.append(COMMON)
    if repo:
        parts.append("\n" + inspect.getsource(is_project_file))
    parts.append(TASK_TESTS.get(task, ""))
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


COMMON = r'''

def _script_path() -> Path:
    override = os.environ.get("MLOPS_ADAPT_SCRIPT")
    if override:
        return Path(override)
    candidate = Path(SCRIPT)
    if candidate.is_absolute():
        return candidate
    for base in [Path.cwd(), *Path(__file__).resolve().parents]:
        if (base / candidate).is_file():
            return base / candidate
    return Path.cwd() / candidate


@pytest.fixture(scope="module")
def run():
    script = _script_path()
    extra = {name: (script.parent / name).read_bytes() for name in EXTRA_FILES if (script.parent / name).is_file()}
    result = run_script(
        script.read_text(encoding="utf-8"), timeout=TIMEOUT, extra_files=extra, repo=REPO,
        mlflow_template=os.environ.get("MLOPS_ADAPT_MLFLOW_TEMPLATE"), import_paths=[str(script.parent)],
        # In a git repository the script keeps its place in the sandbox repository (e.g. src/).
        script_subdir=repo_subdir(script) if REPO else None,
    )
    yield result
    if not os.environ.get("MLOPS_ADAPT_KEEP_SANDBOX"):
        shutil.rmtree(result.root, ignore_errors=True)


def _norm_key(text) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def key_logged(name, keys) -> bool:
    """NAME rule: equal ignoring case/separators, or a logged key ending in /name or .name."""
    want = _norm_key(name)
    for key in keys:
        if _norm_key(key) == want or re.split(r"[/.]", str(key))[-1].lower() == str(name).lower():
            return True
    return False


def value_logged(value, values) -> bool:
    """VALUE rule: a logged value equal to the literal default (as text or as a number)."""
    if value is None or isinstance(value, bool):
        return False
    for logged in values:
        if str(logged) == str(value):
            return True
        try:
            if float(logged) == float(value):
                return True
        except (TypeError, ValueError):
            continue
    return False


def metric_logged(name, keys) -> bool:
    want = _norm_key(name)
    return any(want and (want in _norm_key(k) or (_norm_key(k) and _norm_key(k) in want)) for k in keys)


def _close(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-9 + 1e-6 * abs(b)


def cv_result_logged(run, values, series) -> bool:
    """VALUE rule for a cross-validation result: a logged value equals the mean or std of the fold
    scores the script computed (observed in the sandbox), or one logged series holds every fold
    score. `values` are the logged numbers, `series` the lists logged under one key each."""
    import statistics

    folds = [
        list(scores)
        for event in run.observations
        if event.get("event") == "cv_scores"
        for scores in event.get("scores", {}).values()
        if scores
    ]
    for scores in folds:
        targets = [statistics.fmean(scores), statistics.pstdev(scores)]
        if any(_close(v, t) for v in values for t in targets):
            return True
        for logged in series:
            if all(any(_close(v, s) for v in logged) for s in scores):
                return True
    return False


def unlogged_cv(lost, run, values, series) -> list:
    """The CV metrics (`scores_mean`, `scores_std`) are one result: if any of them is logged by
    name, or the result is logged by value (cv_result_logged), none of them is missing."""
    cv_lost = [m for m in lost if m in CV_METRICS]
    if not cv_lost:
        return lost
    if len(cv_lost) < len(CV_METRICS) or cv_result_logged(run, values, series):
        return [m for m in lost if m not in CV_METRICS]
    return lost


def missing_hyperparams(params: dict) -> list:
    """Hyperparameters found neither by name nor by value; constructor literals count only if nothing else exists."""
    def found(hp):
        return key_logged(hp["name"], params) or value_logged(hp["value"], params.values())

    if HYPERPARAMS:
        return [hp["name"] for hp in HYPERPARAMS if not found(hp)]
    if CTOR_HYPERPARAMS and not any(found(hp) for hp in CTOR_HYPERPARAMS):
        return [hp["name"] for hp in CTOR_HYPERPARAMS]
    return []


def extra_output_lines(stdout: str) -> list:
    """Lines the adapted script printed beyond the original's output."""
    have = [line.rstrip() for line in stdout.splitlines() if line.strip()]
    want = [normalize_line(x) for x in (EXPECTED_STDOUT or "").splitlines() if x.strip()]
    extra = []
    for line in have:
        if want and normalize_line(line) == want[0]:
            want.pop(0)
        else:
            extra.append(line)
    return extra


def test_script_exits_cleanly(run):
    if ORIGINAL_ERROR is not None:
        pytest.skip("the original script did not run in the sandbox either: " + ORIGINAL_ERROR[-300:])
    assert not run.timed_out, f"the script timed out after {TIMEOUT:g} s"
    assert run.returncode == 0, f"the script exited with code {run.returncode}: {run.error_summary()}"


def test_prints_what_the_original_printed(run):
    if EXPECTED_STDOUT is None:
        pytest.skip("the original's output is unknown")
    missing = missing_output_lines(EXPECTED_STDOUT, run.stdout, MASK_NUMBERS)
    assert not missing, (
        f"the output lost or changed {len(missing)} line(s) the original printed, first: {missing[0]!r}"
    )
'''

TRACK_MLFLOW = r"""

def _mlflow_runs(run):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.mlflow_uri)
    experiments = [e.experiment_id for e in client.search_experiments()]
    return client.search_runs(experiments) if experiments else []


def test_mlflow_run_holds_params_and_metrics(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    runs = _mlflow_runs(run)
    assert runs, "no MLflow run was recorded"
    unfinished = [r.info.run_id for r in runs if r.info.status != "FINISHED"]
    assert not unfinished, f"MLflow run(s) not finished: {unfinished}"
    params, metrics = {}, {}
    for r in runs:
        params.update(r.data.params)
        metrics.update(r.data.metrics)
    missing = missing_hyperparams(params)
    assert not missing, f"hyperparameters not logged as MLflow params: {', '.join(missing)} (params: {sorted(params)})"
    lost = [m for m in METRICS if not metric_logged(m, metrics)]
    if set(lost) & set(CV_METRICS):
        from mlflow.tracking import MlflowClient

        client = MlflowClient(tracking_uri=run.mlflow_uri)
        series = [
            [m.value for m in client.get_metric_history(r.info.run_id, key)]
            for r in runs for key in r.data.metrics
        ]
        values = [v for s in series for v in s]
        lost = unlogged_cv(lost, run, values, series)
    assert not lost, f"metrics not logged to MLflow: {', '.join(lost)} (metrics: {sorted(metrics)})"
"""

TRACK_WANDB = r"""

def _wandb_runs(run):
    files = find_offline_runs(run.wandb_dir)
    return [read_offline_run(f) for f in files]


def test_wandb_run_holds_config_and_metrics(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    runs = _wandb_runs(run)
    assert runs, "no W&B offline run was recorded"
    unfinished = [r["run"].get("id") for r in runs if r["exit_code"] != 0]
    assert not unfinished, f"W&B run(s) not finished cleanly (no exit record with code 0): {unfinished}"
    config, logged = {}, set()
    values, series = [], {}
    for r in runs:
        config.update(r["config"])
        logged.update(k for k in r["summary"] if not k.startswith("_"))
        values.extend(v for k, v in r["summary"].items() if not k.startswith("_"))
        for row in r["history"]:
            logged.update(k for k in row if not k.startswith("_"))
            for k, v in row.items():
                if not k.startswith("_"):
                    values.append(v)
                    series.setdefault(k, []).append(v)
    missing = missing_hyperparams(config)
    assert not missing, f"hyperparameters not in the W&B config: {', '.join(missing)} (config: {sorted(config)})"
    lost = [m for m in METRICS if not metric_logged(m, logged)]
    lost = unlogged_cv(lost, run, values, list(series.values()))
    assert not lost, f"metrics not logged to W&B: {', '.join(lost)} (logged: {sorted(logged)})"
"""

REGISTER_MLFLOW = r"""

def test_registered_model_version_exists(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    import mlflow
    from mlflow.tracking import MlflowClient

    mlflow.set_tracking_uri(run.mlflow_uri)
    mlflow.set_registry_uri(run.mlflow_uri)
    client = MlflowClient(tracking_uri=run.mlflow_uri, registry_uri=run.mlflow_uri)
    models = client.search_registered_models()
    assert models, "no model was registered in the MLflow Model Registry"
    versions = [v for m in models for v in client.search_model_versions(f"name='{m.name}'")]
    assert versions, f"registered model(s) {[m.name for m in models]} have no version"
    ready = [v for v in versions if v.status == "READY"]
    assert ready, f"no model version is READY: {[(v.name, v.version, v.status) for v in versions]}"
    if FLAVORS:
        found = set()
        for v in ready:
            info = mlflow.models.get_model_info(f"models:/{v.name}/{v.version}")
            found.update(info.flavors)
        assert set(FLAVORS) & found, f"the registered model has flavors {sorted(found)}, expected one of {FLAVORS}"
    if "sklearn" in FLAVORS:
        from sklearn.exceptions import NotFittedError
        from sklearn.utils.validation import check_is_fitted

        for v in ready:
            try:
                model = mlflow.sklearn.load_model(f"models:/{v.name}/{v.version}")
            except Exception:
                continue  # not an sklearn model: the flavor check above speaks for it
            try:
                check_is_fitted(model)
            except NotFittedError:
                raise AssertionError(f"the registered model {v.name} v{v.version} was never trained (logged before fit)")
"""

HPO_OPTUNA = r"""

def _studies(run):
    return [e for e in run.observations if e.get("event") == "optuna.optimize"]


def test_trials_completed_and_suggested_hyperparameters(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    studies = _studies(run)
    assert studies, "no Optuna study was optimized (study.optimize never ran)"
    trials = [t for s in studies for t in s["trials"]]
    complete = [t for t in trials if t["state"] == "COMPLETE"]
    assert len(complete) >= 2, f"only {len(complete)} Optuna trial(s) completed: {[t['state'] for t in trials]}"
    suggested = sorted({name for t in complete for name in t["params"]})
    assert suggested, "the objective suggested no hyperparameter: it ignores `trial`"
    if TUNABLE_NAMES:
        matched = [s for s in suggested if key_logged(s, TUNABLE_NAMES)]
        assert matched, f"the trials suggested {suggested}, none of the script's hyperparameters {TUNABLE_NAMES}"


def test_study_direction_fits_the_metric(run):
    if DIRECTION is None:
        pytest.skip("the metric's direction cannot be told from its name")
    studies = _studies(run)
    assert studies, "no Optuna study was optimized"
    directions = {d.lower() for s in studies for d in s["directions"]}
    assert directions == {DIRECTION}, f"the study direction is {sorted(directions)}, but the objective should {DIRECTION}"


def test_best_params_are_reported(run):
    studies = _studies(run)
    assert studies, "no Optuna study was optimized"
    best = studies[-1].get("best_params") or {}
    unreported = [k for k in best if k not in run.stdout]
    assert not unreported, f"the best params are not printed: {unreported}"
"""

OPTIMIZE_PRUNE = r"""

def test_model_was_pruned_after_training_and_evaluated(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    events = run.observations
    pruning = [e for e in events if e.get("event", "").startswith("prune.") and e["event"] != "prune.remove"]
    assert pruning, "no torch.nn.utils.prune call pruned the model"
    assert any((e.get("sparsity") or 0) > 0 for e in pruning), "pruning zeroed no weight (amount 0?)"
    removed = [e for e in events if e.get("event") == "prune.remove"]
    assert removed, "pruning was not made permanent: prune.remove was never called"
    forward = [e for e in events if e.get("event") == "forward_calls"]
    total_steps = forward[-1]["optimizer_steps"] if forward else pruning[-1]["optimizer_steps"]
    if TRAINS_WITH_OPTIMIZER:
        assert pruning[0]["optimizer_steps"] > 0 or total_steps == 0, (
            "the model was pruned before training (no optimizer step ran before the first prune call)"
        )
    counts = forward[-1]["counts"] if forward else {}
    assert any(v > 0 for k, v in counts.items() if k.startswith("prune:")), (
        "the pruned model was never evaluated after pruning"
    )
    extra = [line for line in extra_output_lines(run.stdout) if re.search(r"\d", line)]
    assert extra, "no result was printed after pruning"
"""

OPTIMIZE_QUANTIZE = r"""

def test_model_was_quantized_and_evaluated(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    events = [e for e in run.observations if e.get("event") == "quantize_dynamic"]
    assert events, "torch.ao.quantization.quantize_dynamic was never called"
    layers = [m for e in events for m in e["quantized_modules"] if m.endswith("Linear")]
    assert layers, "quantize_dynamic quantized no Linear layer"
    forward = [e for e in run.observations if e.get("event") == "forward_calls"]
    counts = forward[-1]["counts"] if forward else {}
    assert any(v > 0 for k, v in counts.items() if k.startswith("quantized:")), (
        "the quantized model was never evaluated"
    )
    extra = [line for line in extra_output_lines(run.stdout) if re.search(r"\d", line)]
    assert extra, "no result was printed after quantization"
"""

TRANSLATE_DVC = r"""

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
"""

TASK_TESTS = {
    "track-mlflow": TRACK_MLFLOW,
    "track-wandb": TRACK_WANDB,
    "register-mlflow": REGISTER_MLFLOW,
    "hpo-optuna": HPO_OPTUNA,
    "optimize-prune": OPTIMIZE_PRUNE,
    "optimize-quantize": OPTIMIZE_QUANTIZE,
    "translate-gitpython-dvc": TRANSLATE_DVC,
}
