"""hpo-optuna on the shapes of public examples (pytorch/examples mnist, word_language_model and
regression, an exported notebook): what is searched, what is scored, what trials leave alone, run for real."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from mlops_adapt.engine import adapt
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Failed
from mlops_adapt.verify.pipeline import verify_candidate

from ._support import SCRIPTS, adapted, missing_lines, run_batch

TRIALS = 3
TORCH = ["torch_mnist_example.py", "torch_word_lm.py", "torch_poly_regression.py"]


def _suggested(code: str) -> set[str]:
    return set(re.findall(r'suggest_\w+\("(\w+)"', code))


def test_mnist_example_searches_model_settings_only_and_scores_a_validation_split():
    code = adapted("hpo-optuna", (SCRIPTS / "torch_mnist_example.py").read_text())
    assert _suggested(code) == {"batch_size", "epochs", "lr", "gamma", "step_size"}
    # StepLR's gamma stays a decay factor; Adadelta's lr goes at most 3x up.
    assert 'suggest_float("gamma", 0.35, 0.99)' in code and 'suggest_float("lr", 0.1, 3.0, log=True)' in code
    # The script only has a test set: a trial holds out a quarter of the training dataset instead.
    assert "dataset1, dataset2 = torch.utils.data.random_split(dataset1, [0.75, 0.25]" in code
    assert "not isinstance(optuna_trial, optuna.trial.FixedTrial)" in code
    assert 'direction="minimize"' in code and 'set_user_attr("test_loss"' in code
    # Saving the model is left to the script's own run and the final run.
    assert re.search(r"if optuna_trial is None or isinstance\(optuna_trial, optuna.trial.FixedTrial\):\n\s+torch.save", code)


def test_word_language_model_does_not_search_the_transformer_heads_of_an_lstm():
    code = adapted("hpo-optuna", (SCRIPTS / "torch_word_lm.py").read_text())
    suggested = _suggested(code)
    assert "nhead" not in suggested  # --model defaults to LSTM: only the Transformer branch reads it
    assert {"lr", "nhid", "emsize", "dropout"} <= suggested
    assert not suggested & {"seed", "log_interval", "save", "model", "dry_run"}
    # Scored on the validation data (the test loss is printed once training ends).
    assert 'set_user_attr("val_loss"' in code and 'set_user_attr("test_loss"' not in code
    with_transformer = (SCRIPTS / "torch_word_lm.py").read_text().replace("default='LSTM'", "default='Transformer'")
    assert "nhead" in _suggested(adapted("hpo-optuna", with_transformer))


def test_a_setting_that_defines_the_target_function_is_not_searched():
    code = adapted("hpo-optuna", (SCRIPTS / "torch_poly_regression.py").read_text())
    assert _suggested(code) == {"LEARNING_RATE"}  # POLY_DEGREE sizes W_target, the function to fit


@pytest.fixture(scope="module")
def torch_runs(tmp_path_factory):
    programs = {}
    for name in TORCH:
        source = (SCRIPTS / name).read_text()
        programs[f"original/{name}"] = source
        programs[f"tuned/{name}"] = adapted("hpo-optuna", source, n_trials=str(TRIALS))
    return run_batch(programs, tmp_path_factory.mktemp("public-shapes"))


@pytest.mark.slow
@pytest.mark.parametrize("name", TORCH)
def test_public_torch_shapes_run_a_study_and_a_final_run(name, torch_runs):
    original, tuned = torch_runs[f"original/{name}"], torch_runs[f"tuned/{name}"]
    assert original["error"] is None and tuned["error"] is None, tuned["error"]
    assert tuned["info"]["completed_trials"] == TRIALS, tuned["info"]
    assert tuned["info"]["direction"] == "MINIMIZE"
    assert "Best params:" in tuned["stdout"]
    # Every line the script printed comes back (numbers differ where trials score a validation split).
    assert not missing_lines(original["stdout"], tuned["stdout"], mask_numbers=True)


NOTEBOOK = "notebook_lasso_ridge.py"


def test_notebook_cells_stay_in_column_zero_and_the_tuned_model_is_scored():
    source = (SCRIPTS / NOTEBOOK).read_text()
    code = adapted("hpo-optuna", source)
    markers = [line for line in code.splitlines() if line.lstrip().startswith("# %%")]
    assert markers == [line for line in source.splitlines() if line.startswith("# %%")]
    # The ridge sweep's r2 is computed last, but no searched value changes it: the Lasso's is returned.
    assert 'set_user_attr("lasso_r2"' in code and 'set_user_attr("r2"' not in code
    assert _suggested(code) >= {"alpha"}


@pytest.mark.slow
def test_notebook_side_effects_run_once_and_trials_differ(tmp_path):
    code = adapted("hpo-optuna", (SCRIPTS / NOTEBOOK).read_text(), n_trials=str(TRIALS + 2))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "start"], cwd=tmp_path, check=True)
    (tmp_path / "tuned.py").write_text(code)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONWARNINGS": "ignore",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    done = subprocess.run([sys.executable, "tuned.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    values = [float(v) for v in re.findall(r"finished with value: ([-\d.e]+)", done.stderr)]
    assert len(values) == TRIALS + 2 and len(set(values)) > 1  # the score moves with the searched alpha
    assert len((tmp_path / "runs.log").read_text().splitlines()) == 1  # written by the final run only
    log = subprocess.run(["git", "log", "--format=%s"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert log.stdout.splitlines().count("ridge results") == 1  # one commit, not one per trial
    assert (tmp_path / "ridge_results.csv").exists() and (tmp_path / "ridge_r2.png").exists()


def _with_checkpoint(path: str) -> str:
    """torch_word_lm.py saving its best model to `path` and restoring it before the test evaluation."""
    return (SCRIPTS / "torch_word_lm.py").read_text().replace(
        "        best_val_loss = val_loss\n",
        f"        with open({path}, 'wb') as f:\n            torch.save(model, f)\n        best_val_loss = val_loss\n",
    ).replace(
        "test_loss = evaluate(test_data)\n",
        f"with open({path}, 'rb') as f:\n    model = torch.load(f, weights_only=False)\ntest_loss = evaluate(test_data)\n",
    )


def test_a_checkpoint_read_back_goes_to_a_scratch_folder_in_trials():
    code = adapted("hpo-optuna", _with_checkpoint("args.save"))
    assert "args.save = os.path.join(tempfile.mkdtemp(), os.path.basename(args.save))" in code
    assert "        with open(args.save, 'wb') as f:\n" in code  # still saved in trials: the run reads it back


def test_a_checkpoint_at_a_literal_path_goes_to_the_trials_scratch_folder():
    code = adapted("hpo-optuna", _with_checkpoint("'best.pt'"))
    assert "        with open(trial_path('best.pt'), 'wb') as f:\n" in code
    assert "with open(trial_path('best.pt'), 'rb') as f:\n" in code


def test_a_log_kept_open_is_refused_with_a_reason():
    kept_open = (SCRIPTS / "ctor_kwargs_boosting.py").read_text().replace(
        'print("test MSE: %.2f" % mse)', 'log = open("mse.txt", "w")\nlog.write(str(mse))'
    )
    result = adapt(kept_open, "hpo-optuna", AdaptOptions(backend="recipe"))
    assert isinstance(result, Failed) and "keeps the result" in " ".join(result.reasons), result


@pytest.mark.slow
def test_trials_with_a_checkpoint_complete_and_the_final_run_writes_it(tmp_path):
    code = adapted("hpo-optuna", _with_checkpoint("args.save"), n_trials="2")
    results = run_batch({"tuned.py": code}, tmp_path)["tuned.py"]
    assert results["error"] is None, results["error"]
    assert results["info"]["completed_trials"] == 2
    assert (tmp_path / "tuned" / "model.pt").exists()  # written by the final run, in the script's folder


def test_rules_reject_an_objective_no_suggestion_changes():
    original = (SCRIPTS / NOTEBOOK).read_text()
    candidate = original + (
        "\nimport optuna\n\n\n"
        "def objective(trial):\n"
        "    alpha = trial.suggest_float('alpha', 0.01, 1.0, log=True)\n"
        "    tuned = Lasso(alpha=alpha, max_iter=5000)\n"
        "    tuned.fit(X_train, y_train)\n"
        "    fixed = Ridge(alpha=1.0)\n"
        "    fixed.fit(X_train, y_train)\n"
        "    return r2_score(y_val, fixed.predict(X_val))\n\n\n"
        "study = optuna.create_study(direction='maximize')\n"
        "study.optimize(objective, n_trials=5)\n"
        "print('Best params:', study.best_params)\n"
    )
    report = verify_candidate(original, candidate, "hpo-optuna", AdaptOptions())
    assert any("every trial scores the same" in f for f in report.failures), report.failures
    fixed = candidate.replace("return r2_score(y_val, fixed.predict(X_val))", "return r2_score(y_val, tuned.predict(X_val))")
    report = verify_candidate(original, fixed, "hpo-optuna", AdaptOptions())
    assert not any("every trial scores the same" in f for f in report.failures), report.failures
