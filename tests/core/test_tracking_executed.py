"""Adapted scripts run for real: same output, and MLflow / W&B hold the params and metrics."""

from __future__ import annotations

import pytest

from mlops_adapt.analysis.facts import analyze
from mlops_adapt.vocabulary import slug
from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied, Failed, Skipped

from .runner import FIXTURES, run_script

TRAINING_SCRIPTS = sorted(p.name for p in FIXTURES.glob("*.py") if p.name != "no_training.py")
_ORIGINAL_OUTPUT: dict[str, str] = {}


def original_output(name: str, tmp_path_factory) -> str:
    """Stdout of the unmodified script (run once per session)."""
    if name not in _ORIGINAL_OUTPUT:
        run = run_script((FIXTURES / name).read_text(), tmp_path_factory.mktemp("orig"))
        assert run.returncode == 0, run.stderr[-2000:]
        _ORIGINAL_OUTPUT[name] = run.stdout
    return _ORIGINAL_OUTPUT[name]


def adapted(name: str, task: str) -> tuple[str, Applied]:
    source = (FIXTURES / name).read_text()
    result = adapt(source, task, AdaptOptions(backend="recipe", path=name))
    assert isinstance(result, Applied), result
    assert result.report.ok
    return source, result


def expected_keys(source: str) -> tuple[set[str], set[str]]:
    facts = analyze(source)
    # `Adam(lr=LR)` is LR, logged once under its own name (one name per hyperparameter).
    fed = {h.name for h in facts.hyperparams if h.kind == "ctor-kwarg" and h.value and h.value.isidentifier()}
    return {h.name for h in facts.hyperparams} - fed, {slug(m.name) for m in facts.metrics}


def key_present(key: str, logged: set[str]) -> bool:
    """A key is present as itself or qualified (`Model.key`, `name/key`)."""
    return any(k == key or k.endswith(("." + key, "/" + key)) for k in logged)


@pytest.mark.slow
@pytest.mark.parametrize("name", TRAINING_SCRIPTS)
def test_track_mlflow_runs_and_logs_everything(name, tmp_path, tmp_path_factory):
    from mlflow.tracking import MlflowClient

    source, result = adapted(name, "track-mlflow")
    run = run_script(result.code, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == original_output(name, tmp_path_factory)
    client = MlflowClient(tracking_uri=run.tracking_uri)
    runs = client.search_runs(experiment_ids=["0"])
    assert runs, "no MLflow run was recorded"
    params = {k for r in runs for k in r.data.params}
    metrics = {k for r in runs for k in r.data.metrics}
    hyper, evals = expected_keys(source)
    assert hyper, "the analysis found no hyperparameter"
    assert all(key_present(h, params) for h in hyper), (hyper, params)
    assert all(key_present(m, metrics) for m in evals), (evals, metrics)
    assert all(r.info.status == "FINISHED" for r in runs)


@pytest.mark.slow
@pytest.mark.parametrize("name", TRAINING_SCRIPTS)
def test_track_wandb_offline_run_holds_config_and_summary(name, tmp_path, tmp_path_factory):
    from mlops_adapt.verify.wandb_offline import find_offline_runs, read_offline_run

    source, result = adapted(name, "track-wandb")
    run = run_script(result.code, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == original_output(name, tmp_path_factory)
    files = find_offline_runs(tmp_path)
    assert files, "no offline W&B run was written"
    data = [read_offline_run(f) for f in files]
    config = {k for d in data for k in d["config"]}
    summary = {k for d in data for k in d["summary"]}
    hyper, evals = expected_keys(source)
    assert all(key_present(h, config) for h in hyper), (hyper, config)
    assert all(key_present(m, summary) for m in evals), (evals, summary)


# sweep_loop.py trains one model per C and keeps none as the best: registering one would be arbitrary.
REGISTRABLE = [n for n in TRAINING_SCRIPTS if n not in ("numpy_only.py", "trainer_class.py", "sweep_loop.py")]


@pytest.mark.slow
@pytest.mark.parametrize("name", REGISTRABLE)
def test_register_mlflow_creates_a_model_version(name, tmp_path, tmp_path_factory):
    from mlflow.tracking import MlflowClient

    _, result = adapted(name, "register-mlflow")
    run = run_script(result.code, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout == original_output(name, tmp_path_factory)
    client = MlflowClient(tracking_uri=run.tracking_uri, registry_uri=run.tracking_uri)
    models = client.search_registered_models()
    # One registered model, or one per compared model (model_compare.py): never several versions
    # of one name from one run of the script.
    assert len(models) == 1 or name == "model_compare.py" and len(models) == 3
    for model in models:
        versions = client.search_model_versions(f"name='{model.name}'")
        assert len(versions) == 1 and versions[0].run_id


def test_a_sweep_that_keeps_no_best_model_is_refused_with_its_reason():
    source = (FIXTURES / "sweep_loop.py").read_text()
    result = adapt(source, "register-mlflow", AdaptOptions(backend="recipe", path="sweep_loop.py"))
    assert isinstance(result, Failed)
    assert "keeps none as the best" in " ".join(result.reasons)


def test_model_held_in_an_attribute_is_reported_unsupported():
    source = (FIXTURES / "trainer_class.py").read_text()
    result = adapt(source, "register-mlflow", AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed) and result.kind == "unverified"
    # Trainer(...).fit() keeps the trainer in no name, so its self.model cannot be reached
    assert "trained inline" in result.reasons[0] and "never kept in a name" in result.reasons[0]


def test_numpy_only_script_is_not_registered():
    source = (FIXTURES / "numpy_only.py").read_text()
    result = adapt(source, "register-mlflow", AdaptOptions(backend="recipe"))
    assert isinstance(result, Skipped)
    assert "no trained model" in result.reason
