"""Static verification (V1-V4) over the verifier benchmark, and the rule shapes its cases stand for."""

from pathlib import Path

import pytest

from mlops_adapt.bench.corpus import load_verifier_cases
from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

BENCH = Path(__file__).resolve().parents[2] / "bench"
CASES = load_verifier_cases()


def _verify(case):
    return verify_candidate(
        case.original.read_text(encoding="utf-8"),
        case.candidate.read_text(encoding="utf-8"),
        case.task,
        AdaptOptions(verify="static", path=case.original.name),
    )


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "accept"], ids=lambda c: c.id)
def test_careful_adaptations_pass_the_static_checks(case):
    report = _verify(case)
    assert report.ok, report.failures


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "reject"], ids=lambda c: c.id)
def test_known_mistakes_are_rejected_for_their_reason(case):
    report = _verify(case)
    assert not report.ok
    assert case.reason.lower() in " ".join(report.failures).lower(), report.failures


def _static(original: str, candidate: str, task: str):
    return verify_candidate(original, candidate, task, AdaptOptions(verify="static"))


ORIGINAL = (BENCH / "corpus" / "ml" / "sk_flat_rf.py").read_text()
WANDB_RUN = (BENCH / "verifier" / "good" / "wandb_flat_rf.py").read_text()


def test_run_object_calls_are_wandb_calls():
    assert _static(ORIGINAL, WANDB_RUN, "track-wandb").ok
    # ... and what the run object does is judged like wandb's own calls.
    never_finished = WANDB_RUN.replace("run.finish()\n", "")
    # W&B finishes an open run at exit: an explicit finish is recommended, not required.
    report = _static(ORIGINAL, never_finished, "track-wandb")
    v4 = next(c for c in report.checks if c.id == "V4")
    assert v4.status == "warn" and any("never finished" in r for r in v4.reasons)
    after_finish = WANDB_RUN.replace('run.log({"accuracy": accuracy})\n', "").replace(
        "run.finish()\n", 'run.finish()\nrun.log({"accuracy": accuracy})\n'
    )
    assert any("outside an active W&B run" in f for f in _static(ORIGINAL, after_finish, "track-wandb").failures)


def test_rebinding_an_original_name_to_the_library_does_not_make_its_uses_library_code():
    # `model` exists in the original: binding it to a wandb call must not let `model.fit` twice pass.
    tampered = WANDB_RUN.replace(
        "model.fit(X_train, y_train)\n",
        "model.fit(X_train, y_train)\nX_train = wandb.config.get('x', X_train)\nmodel.fit(X_train, y_train)\n",
    )
    failures = _static(ORIGINAL, tampered, "track-wandb").failures
    assert any("model.fit" in f and "runs again" in f for f in failures), failures
    assert any("changes `X_train`" in f for f in failures), failures


def test_an_added_if_with_an_original_statement_in_its_else_is_unrelated():
    tampered = WANDB_RUN.replace(
        "model.fit(X_train, y_train)\n",
        'if run.config.get("train", True):\n    run.log({"skipped": 0})\nelse:\n    model.fit(X_train, y_train)\n',
    )
    failures = _static(ORIGINAL, tampered, "track-wandb").failures
    assert failures and not _static(ORIGINAL, WANDB_RUN, "track-wandb").failures


def test_a_logging_loop_may_not_consume_an_iterator():
    tampered = WANDB_RUN.replace(
        'run.log({"accuracy": accuracy})\n',
        'run.log({"accuracy": accuracy})\nfor row in iter(load_rows()):\n    run.log({"row": row})\n',
    )
    failures = _static(ORIGINAL, tampered, "track-wandb").failures
    assert any("for row in iter(load_rows())" in f for f in failures), failures


CV_ORIGINAL = (BENCH / "corpus" / "ml" / "sk_cross_val.py").read_text()
CV_GOOD = (BENCH / "verifier" / "good" / "wandb_cross_val.py").read_text()


def test_cross_validation_result_logged_per_fold_or_as_its_mean():
    assert _static(CV_ORIGINAL, CV_GOOD, "track-wandb").ok
    mean_only = CV_GOOD.replace(
        'for fold, score in enumerate(scores):\n    wandb.log({"fold_r2": score}, step=fold)\n', ""
    )
    assert _static(CV_ORIGINAL, mean_only, "track-wandb").ok
    nothing = mean_only.replace('wandb.summary["mean_r2"] = mean_r2\n', "")
    failures = _static(CV_ORIGINAL, nothing, "track-wandb").failures
    assert any("scores_mean" in f for f in failures) and any("mean_r2" in f for f in failures)


DVC_ORIGINAL = (BENCH / "corpus" / "git" / "git_version_csv.py").read_text()
DVC_GOOD = (BENCH / "verifier" / "good" / "translate_version_csv.py").read_text()


@pytest.mark.parametrize(
    "add",
    [
        'dvc_repo.add(os.path.abspath("data.csv"))',
        'DvcRepo(".").add(os.path.abspath("data.csv"))',
        "dvc_repo.add('data.csv')",
        'dvc_repo.add(["data.csv"])',
        'subprocess.run(["dvc", "add", "data.csv"], check=True)',
    ],
)
def test_dvc_add_forms(add):
    candidate = DVC_GOOD.replace('dvc_repo.add(os.path.abspath("data.csv"))', add)
    if "subprocess" in add:  # the form needs its import, or V3 reports the unbound name
        candidate = candidate.replace("import os\n", "import os\nimport subprocess\n", 1)
    assert _static(DVC_ORIGINAL, candidate, "translate-gitpython-dvc").ok


def test_a_dvc_add_of_another_file_does_not_count():
    candidate = DVC_GOOD.replace('dvc_repo.add(os.path.abspath("data.csv"))', 'dvc_repo.add("other.csv")')
    failures = _static(DVC_ORIGINAL, candidate, "translate-gitpython-dvc").failures
    assert any('data path `"data.csv"` is not added with DVC' in f for f in failures)


def test_an_old_version_read_as_head_needs_no_rev():
    original = DVC_ORIGINAL.replace('repo.git.show("v1:data.csv")', 'repo.git.show("HEAD:data.csv")')
    candidate = DVC_GOOD.replace('dvc.api.read("data.csv", repo=".", rev="v1")', 'dvc.api.read("data.csv", repo=".")')
    assert _static(original, candidate, "translate-gitpython-dvc").ok
    failures = _static(DVC_ORIGINAL, candidate, "translate-gitpython-dvc").failures
    assert any("without rev=" in f for f in failures)


REGISTER_ORIGINAL = (BENCH / "corpus" / "ml" / "sk_pickle_save.py").read_text()
REGISTER_GOOD = (BENCH / "verifier" / "good" / "register_pickle_svc.py").read_text()


def test_log_model_after_training_is_accepted_and_before_it_rejected():
    assert _static(REGISTER_ORIGINAL, REGISTER_GOOD, "register-mlflow").ok
    bad = (BENCH / "verifier" / "bad" / "register_before_training.py").read_text()
    failures = _static(REGISTER_ORIGINAL, bad, "register-mlflow").failures
    assert any("logs `svm` before it is trained" in f for f in failures), failures


def test_log_model_in_a_helper_called_after_training_is_accepted():
    # Statements outside a function do not run in order with its body: no false "before training".
    helper = REGISTER_GOOD.replace(
        "def main():",
        "def register(model):\n"
        "    with mlflow.start_run():\n"
        '        mlflow.sklearn.log_model(model, name="model", registered_model_name="linear-svc",\n'
        '                                 pip_requirements=["scikit-learn"])\n\n\n'
        "def main():",
    )
    assert "def register(model)" in helper
    assert _static(REGISTER_ORIGINAL, helper, "register-mlflow").ok


def test_optuna_trial_methods_are_checked_against_the_real_trial():
    original = (BENCH / "corpus" / "ml" / "torch_early_stopping.py").read_text()
    good = (BENCH / "verifier" / "good" / "hpo_pruner_early_stopping.py").read_text()
    assert _static(original, good, "hpo-optuna").ok
    wrong = good.replace("trial.report(val_loss, step=epoch)", "trial.report(val_loss, epoch=epoch)")
    failures = _static(original, wrong, "hpo-optuna").failures
    assert any("`Trial.report` has no keyword argument `epoch`" in f for f in failures), failures
