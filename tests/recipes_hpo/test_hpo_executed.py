"""hpo-optuna on real training scripts of several shapes, run with real Optuna (and MLflow) before and after."""

from __future__ import annotations

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Skipped
from mlops_adapt.verify.pipeline import verify_candidate

from ._support import SCRIPTS, adapted, missing_lines, run_batch

# What a person reading each script would call its hyperparameters.
HYPERPARAMETERS = {
    "flat_constants_forest.py": {"N_ESTIMATORS", "MAX_DEPTH", "CRITERION", "MIN_SAMPLES_LEAF"},
    "argparse_torch.py": {"lr", "epochs", "hidden", "optimizer"},
    "config_dict_svm.py": {"C", "kernel", "tol"},
    "dataclass_torch.py": {"lr", "epochs", "weight_decay"},
    "ctor_kwargs_boosting.py": {"n_estimators", "learning_rate", "max_depth", "subsample"},
    "mlp_locals_main.py": {"learning_rate_init", "alpha", "activation", "max_iter", "hidden_layer_sizes"},
    "mlflow_tracked.py": {"alpha", "l1_ratio", "max_iter"},
    "sweep_and_dataclass_param.py": {"weights", "leaf_size", "k"},
    "numpy_gd_trainer_kwargs.py": {"lr", "epochs", "l2"},
    "cv_function_defaults.py": {"C", "gamma", "tol"},
}
# A manual sweep becomes one suggested value per trial, so only part of its lines repeat.
SWEEPS = {"sweep_and_dataclass_param.py"}
DIRECTION = {"argparse_torch.py": "MINIMIZE", "ctor_kwargs_boosting.py": "MINIMIZE", "numpy_gd_trainer_kwargs.py": "MINIMIZE"}
PLAIN = sorted(n for n in HYPERPARAMETERS if n != "mlflow_tracked.py")
TRIALS = 3


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every plain script, original and tuned, run for real in one Python process with 3 trials."""
    programs = {}
    for name in PLAIN:
        source = (SCRIPTS / name).read_text()
        programs[f"original/{name}"] = source
        programs[f"tuned/{name}"] = adapted("hpo-optuna", source, n_trials=str(TRIALS))
    return programs, run_batch(programs, tmp_path_factory.mktemp("hpo-runs"))


@pytest.mark.slow
@pytest.mark.parametrize("name", PLAIN)
def test_tuned_script_runs_a_study_over_its_hyperparameters(name, runs):
    programs, results = runs
    original, tuned = results[f"original/{name}"], results[f"tuned/{name}"]
    assert original["error"] is None and tuned["error"] is None, tuned["error"]
    info = tuned["info"]
    assert info["completed_trials"] == TRIALS, info
    suggested = set(info["best_params"]) & HYPERPARAMETERS[name]
    assert len(suggested) * 2 >= len(HYPERPARAMETERS[name]), (sorted(suggested), info)
    assert info["direction"] == DIRECTION.get(name, "MAXIMIZE")
    assert "Best params:" in tuned["stdout"] and "Best value:" in tuned["stdout"]
    # The first trial runs the script's own defaults, so everything it printed appears again. A
    # script that scores its model only on a test split is re-split while a trial runs (the study
    # never selects on the test split), so there the lines come back with other numbers.
    carved = "isinstance(optuna_trial, optuna.trial.FixedTrial)" in programs[f"tuned/{name}"]
    missing = missing_lines(original["stdout"], tuned["stdout"], mask_numbers=carved)
    if name in SWEEPS:
        assert len(missing) < len(original["stdout"].splitlines()), tuned["stdout"]
    else:
        assert not missing, tuned["stdout"]


@pytest.mark.slow
def test_tracked_script_gets_one_nested_run_per_trial(tmp_path):
    import mlflow

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    source = (SCRIPTS / "mlflow_tracked.py").read_text()
    code = adapted("hpo-optuna", source, n_trials=str(TRIALS))
    env = {"MLFLOW_TRACKING_URI": uri, "GIT_PYTHON_REFRESH": "quiet"}
    result = run_batch({"tuned.py": code}, tmp_path, env=env)["tuned.py"]
    assert result["error"] is None, result["error"]
    assert result["info"]["completed_trials"] == TRIALS

    client = mlflow.MlflowClient(tracking_uri=uri)
    runs = client.search_runs(experiment_ids=["0"])
    parents = [r for r in runs if r.info.run_name == "optuna-study"]
    assert len(parents) == 1
    parent_id = parents[0].info.run_id
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent_id]
    assert len(children) == TRIALS
    assert len({r.data.params["alpha"] for r in children}) > 1  # each trial logged its own params
    assert all("r2" in r.data.metrics for r in children)
    assert any(k.startswith("best_") for k in parents[0].data.params)
    final = [r for r in runs if r.info.run_id != parent_id and "mlflow.parentRunId" not in r.data.tags]
    assert len(final) == 1  # the final run with the best params is a run of its own


def test_already_tuned_and_untrained_scripts_are_skipped():
    tuned = adapted("hpo-optuna", (SCRIPTS / "ctor_kwargs_boosting.py").read_text())
    assert isinstance(adapt(tuned, "hpo-optuna", AdaptOptions(backend="recipe")), Skipped)
    plain = "import numpy as np\nprint(np.arange(3).sum())\n"
    result = adapt(plain, "hpo-optuna", AdaptOptions(backend="recipe"))
    assert isinstance(result, Skipped) and "nothing to adapt" in result.reason


def test_n_trials_option_is_written_as_a_literal():
    code = adapted("hpo-optuna", (SCRIPTS / "config_dict_svm.py").read_text(), n_trials="7")
    assert "study.optimize(objective, n_trials=7, catch=(Exception,))" in code
    assert "os.environ" not in code and "MLOPS_ADAPT" not in code
    default = adapted("hpo-optuna", (SCRIPTS / "config_dict_svm.py").read_text())
    assert "n_trials=20," in default


def test_rules_reject_a_study_with_the_wrong_direction_and_no_suggestions():
    original = (SCRIPTS / "ctor_kwargs_boosting.py").read_text()
    candidate = original + (
        "import optuna\n"
        "def objective(trial):\n"
        "    return mse\n"
        "study = optuna.create_study(direction='maximize')\n"
        "study.optimize(objective, n_trials=3)\n"
    )
    report = verify_candidate(original, candidate, "hpo-optuna", AdaptOptions())
    reasons = " ".join(report.failures)
    assert "should minimize" in reasons
    assert "suggests no hyperparameter" in reasons
    assert "best parameters" in reasons


def test_numpy_training_is_training_and_the_first_trial_keeps_the_call_values():
    code = adapted("hpo-optuna", (SCRIPTS / "numpy_gd_trainer_kwargs.py").read_text())
    # The call's own values are searched (the function defaults it overrides are not).
    assert 'study.enqueue_trial({"lr": 0.05, "epochs": 80, "l2": 0.01})' in code
    assert "    lr = optuna_trial" not in code
    kmeans = (
        "import numpy as np\n\nK = 3\nITERATIONS = 6\nrng = np.random.default_rng(0)\n"
        "X = rng.normal(size=(90, 2))\ncenters = X[:K]\nfor step in range(ITERATIONS):\n"
        "    labels = np.argmin(((X[:, None] - centers[None]) ** 2).sum(-1), axis=1)\n"
        "    centers = np.array([X[labels == k].mean(0) for k in range(K)])\n"
        "    inertia = float(((X - centers[labels]) ** 2).sum())\nprint(f\"inertia {inertia:.2f}\")\n"
    )
    tuned = adapted("hpo-optuna", kmeans)
    assert 'direction="minimize"' in tuned and 'set_user_attr("inertia"' in tuned


def test_shape_settings_and_evaluation_batch_sizes_are_not_searched():
    source = (
        "import torch\nfrom torch import nn\nfrom torch.utils.data import DataLoader, TensorDataset\n\n"
        "CONFIG = {\"lr\": 0.01, \"channels\": 4, \"kernel_size\": 3, \"epochs\": 2}\n"
        "X, y = torch.randn(64, 1, 8, 8), torch.randint(0, 2, (64,))\n"
        "val_loader = DataLoader(TensorDataset(X, y), batch_size=32)\n"
        "net = nn.Sequential(nn.Conv2d(1, CONFIG[\"channels\"], CONFIG[\"kernel_size\"], padding=1), nn.Flatten(),\n"
        "                    nn.Linear(CONFIG[\"channels\"] * 64, 2))\n"
        "opt = torch.optim.SGD(net.parameters(), lr=CONFIG[\"lr\"])\n"
        "for epoch in range(CONFIG[\"epochs\"]):\n"
        "    opt.zero_grad()\n    loss = nn.functional.cross_entropy(net(X), y)\n    loss.backward()\n    opt.step()\n"
        "val_acc = sum((net(a).argmax(1) == b).float().sum().item() for a, b in val_loader) / 64\n"
        "print(f\"validation accuracy {val_acc:.3f}\")\n"
    )
    code = adapted("hpo-optuna", source)
    assert 'suggest_float("lr"' in code and 'suggest_int("channels"' in code
    assert 'suggest_int("kernel_size"' not in code
    assert "DataLoader_batch_size" not in code and "suggest_int(\"batch_size\"" not in code


LOGS_WITHOUT_A_RUN_AND_EXITS = '''
"""Logs to MLflow without starting a run of its own, and ends with an exit status."""
import sys

import mlflow
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

C = 1.0

if __name__ == "__main__":
    X, y = load_iris(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
    model = LogisticRegression(C=C, max_iter=500).fit(X_train, y_train)
    accuracy = model.score(X_val, y_val)
    mlflow.log_metric("accuracy", accuracy)
    print(f"accuracy = {accuracy:.3f}")
    sys.exit(0)
'''


@pytest.mark.slow
def test_trials_of_a_script_that_exits_and_logs_without_a_run_are_nested_runs(tmp_path):
    """Each trial opens its own nested MLflow run and survives the script's exit (this code did not parse once)."""
    import subprocess
    import sys

    import mlflow

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    code = adapted("hpo-optuna", LOGS_WITHOUT_A_RUN_AND_EXITS, n_trials=str(TRIALS))
    assert "except SystemExit:" in code and 'run_name=f"trial-{trial.number}", nested=True' in code
    script = tmp_path / "tuned.py"
    script.write_text(code)
    env = {"MLFLOW_TRACKING_URI": uri, "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "PYTHONWARNINGS": "ignore", "GIT_PYTHON_REFRESH": "quiet"}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=400, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Best value:" in done.stdout  # the study went on after each trial's exit
    runs = mlflow.MlflowClient(tracking_uri=uri).search_runs(experiment_ids=["0"])
    parent = [r for r in runs if r.info.run_name == "optuna-study"]
    assert len(parent) == 1
    trials = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent[0].info.run_id]
    assert sorted(r.info.run_name for r in trials) == [f"trial-{n}" for n in range(TRIALS)]
    assert all("accuracy" in r.data.metrics for r in trials)
