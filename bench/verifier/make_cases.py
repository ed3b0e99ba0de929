"""Writes bad/*.py (each a known-good adaptation with one realistic LLM mistake) and cases.json.

Run it after editing a good candidate or a mistake below: `python bench/verifier/make_cases.py`.
The bad files are committed too, so `mlops-adapt verify TASK ORIGINAL bad/X.py --run` works on them.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = "../corpus/"

# good id -> (task, original script under bench/corpus)
GOOD = {
    "mlflow_flat_rf": ("track-mlflow", "ml/sk_flat_rf.py"),
    "mlflow_argparse_logreg": ("track-mlflow", "ml/sk_argparse_logreg.py"),
    "mlflow_config_dict_gb": ("track-mlflow", "ml/sk_config_dict_gb.py"),
    "mlflow_torch_flat_mlp": ("track-mlflow", "ml/torch_flat_mlp.py"),
    "mlflow_np_linear_regression": ("track-mlflow", "ml/np_linear_regression.py"),
    "wandb_flat_rf": ("track-wandb", "ml/sk_flat_rf.py"),
    "wandb_metrics_helper": ("track-wandb", "ml/sk_metrics_helper.py"),
    "wandb_torch_flat_mlp": ("track-wandb", "ml/torch_flat_mlp.py"),
    "wandb_cross_val": ("track-wandb", "ml/sk_cross_val.py"),
    "register_joblib_extratrees": ("register-mlflow", "ml/sk_joblib_save.py"),
    "register_argparse_logreg": ("register-mlflow", "ml/sk_argparse_logreg.py"),
    "register_torch_regression": ("register-mlflow", "ml/torch_regression_save.py"),
    "register_pickle_svc": ("register-mlflow", "ml/sk_pickle_save.py"),
    "hpo_flat_rf": ("hpo-optuna", "ml/sk_flat_rf.py"),
    "hpo_adaboost_main": ("hpo-optuna", "ml/sk_adaboost_main_guard.py"),
    "hpo_torch_regression": ("hpo-optuna", "ml/torch_regression_save.py"),
    "hpo_np_logistic": ("hpo-optuna", "ml/np_logistic_fn.py"),
    "prune_flat_mlp": ("optimize-prune", "ml/torch_flat_mlp.py"),
    "prune_module_class": ("optimize-prune", "ml/torch_module_class.py"),
    "prune_regression": ("optimize-prune", "ml/torch_regression_save.py"),
    "quantize_flat_mlp": ("optimize-quantize", "ml/torch_flat_mlp.py"),
    "quantize_config_dict": ("optimize-quantize", "ml/torch_config_dict.py"),
    "quantize_trainer_class": ("optimize-quantize", "ml/torch_trainer_class.py"),
    "translate_version_csv": ("translate-gitpython-dvc", "git/git_version_csv.py"),
    "translate_tag_versions_fn": ("translate-gitpython-dvc", "git/git_tag_versions_fn.py"),
    "wandb_config_dict_gb": ("track-wandb", "ml/sk_config_dict_gb.py"),
    "wandb_dataclass_run_context": ("track-wandb", "ml/sk_dataclass_svc.py"),
    "mlflow_autolog_mlp": ("track-mlflow", "ml/sk_mlp_classifier.py"),
    "register_model_after_log_mlp": ("register-mlflow", "ml/sk_mlp_classifier.py"),
    "hpo_pruner_early_stopping": ("hpo-optuna", "ml/torch_early_stopping.py"),
    "quantize_module_class": ("optimize-quantize", "ml/torch_module_class.py"),
    "translate_branch_experiment": ("translate-gitpython-dvc", "git/git_branch_experiment.py"),
}

# bad id -> (good it derives from, [(old, new), ...], reason keyword the rejection must name, the mistake)
BAD = {
    "mlflow_hallucinated_log_hyperparams": (
        "mlflow_flat_rf",
        [("mlflow.log_params({", "mlflow.log_hyperparams({")],
        "log_hyperparams",
        "hallucinated API mlflow.log_hyperparams",
    ),
    "mlflow_metric_logged_after_run_ended": (
        "mlflow_config_dict_gb",
        [
            ('    mlflow.log_metrics({"mse": mse, "r2": r2})\n', ""),
            (
                "    mlflow.end_run()\n",
                '    mlflow.end_run()\nmlflow.log_metrics({"mse": mse, "r2": r2})\n',
            ),
        ],
        "run",
        "metrics logged after the run ended (outside a run)",
    ),
    "mlflow_run_started_on_import": (
        "mlflow_argparse_logreg",
        [("\n\ndef parse_args():", "\nmlflow.start_run()\n\n\ndef parse_args():")],
        "on import",
        "a module-level mlflow.start_run() in a script that works from its main guard",
    ),
    "mlflow_experiment_set_after_run_start": (
        "mlflow_flat_rf",
        [("with mlflow.start_run():\n", 'with mlflow.start_run():\n    mlflow.set_experiment("iris")\n')],
        "tracking configuration",
        "set_experiment called after the run started (the run stays in the default experiment)",
    ),
    "mlflow_fit_deleted": (
        "mlflow_flat_rf",
        [("    model.fit(X_train, y_train)\n", "")],
        "fit",
        "training call deleted",
    ),
    "mlflow_training_loop_truncated": (
        "mlflow_torch_flat_mlp",
        [("        optimizer.step()\n", "        optimizer.step()\n        break\n")],
        "break",
        "training loop truncated after one epoch",
    ),
    "mlflow_wrong_keyword_epoch": (
        "mlflow_torch_flat_mlp",
        [
            (
                'mlflow.log_metric("loss", loss.item(), step=epoch)',
                'mlflow.log_metric("loss", loss.item(), epoch=epoch)',
            )
        ],
        "epoch",
        "wrong keyword argument epoch= instead of step=",
    ),
    "mlflow_unrelated_hyperparameter_edit": (
        "mlflow_flat_rf",
        [("N_ESTIMATORS = 25\n", "N_ESTIMATORS = 100\n")],
        "N_ESTIMATORS",
        "extra unrelated edit: a hyperparameter's value changed",
    ),
    "mlflow_metric_not_logged": (
        "mlflow_argparse_logreg",
        [('        mlflow.log_metric("f1", f1)\n', "")],
        "f1",
        "the evaluation result is never logged",
    ),
    "mlflow_params_not_logged": (
        "mlflow_np_linear_regression",
        [
            (
                '    mlflow.log_param("learning_rate", LEARNING_RATE)\n    mlflow.log_param("epochs", EPOCHS)\n',
                "",
            )
        ],
        "LEARNING_RATE",
        "hyperparameters are never logged",
    ),
    "mlflow_run_end_skipped_on_error": (
        "mlflow_config_dict_gb",
        [
            (
                "finally:\n    mlflow.end_run()\n",
                '    mlflow.end_run()\nexcept ValueError as err:\n    print(f"training failed: {err}")\n    raise\n',
            )
        ],
        "outside `with`",
        "end_run() at the end of the try body, not in finally: an error leaves the run RUNNING",
    ),
    "mlflow_print_removed": (
        "mlflow_config_dict_gb",
        [('    print(f"r2: {r2:.3f}")\n', "")],
        "print",
        "an original print was dropped",
    ),
    "wandb_hallucinated_log_params": (
        "wandb_torch_flat_mlp",
        [('wandb.log({"accuracy": accuracy})', 'wandb.log_metrics({"accuracy": accuracy})')],
        "log_metrics",
        "hallucinated API wandb.log_metrics",
    ),
    "wandb_log_before_init": (
        "wandb_metrics_helper",
        [
            (
                'wandb.init(project="tree", config={"max_depth": MAX_DEPTH, "min_samples_leaf": MIN_SAMPLES_LEAF, "random_state": 7})\n',
                "",
            ),
            (
                "wandb.log(metrics)\n",
                'wandb.log(metrics)\nwandb.init(project="tree", config={"max_depth": MAX_DEPTH, "min_samples_leaf": MIN_SAMPLES_LEAF, "random_state": 7})\n',
            ),
        ],
        "outside",
        "wandb.log called before wandb.init (logging outside a run)",
    ),
    "wandb_wrong_keyword_configs": (
        "wandb_torch_flat_mlp",
        [('wandb.init(project="mlp", config=', 'wandb.init(project="mlp", configs=')],
        "configs",
        "wrong keyword argument configs=",
    ),
    "wandb_config_missing": (
        "wandb_torch_flat_mlp",
        [
            (
                'wandb.init(project="mlp", config={"learning_rate": LEARNING_RATE, "epochs": EPOCHS, "hidden": HIDDEN})',
                'wandb.init(project="mlp")',
            )
        ],
        "LEARNING_RATE",
        "hyperparameters are not in the run config",
    ),
    "register_not_registered": (
        "register_torch_regression",
        [('name="model", registered_model_name="linear-regression",', 'name="model",')],
        "regist",
        "the model is logged but never registered",
    ),
    "register_hallucinated_register_model": (
        "register_pickle_svc",
        [("mlflow.sklearn.log_model(svm,", "mlflow.sklearn.register_model(svm,")],
        "register_model",
        "hallucinated API mlflow.sklearn.register_model",
    ),
    "register_wrong_flavor": (
        "register_argparse_logreg",
        [
            ("import mlflow.sklearn\n", "import mlflow.pytorch\n"),
            ("mlflow.sklearn.log_model(clf,", "mlflow.pytorch.log_model(clf,"),
        ],
        "flavor",
        "an sklearn model logged with the pytorch flavor",
    ),
    "register_before_training": (
        "register_pickle_svc",
        [
            (
                (
                    '    with mlflow.start_run():\n        mlflow.sklearn.log_model(svm, name="model", registered_model_name="linear-svc",\n'
                    '                                 pip_requirements=["scikit-learn"])\n'
                ),
                "",
            ),
            (
                "    svm.fit(X_train, y_train)\n",
                (
                    '    with mlflow.start_run():\n        mlflow.sklearn.log_model(svm, name="model", registered_model_name="linear-svc",\n'
                    '                                 pip_requirements=["scikit-learn"])\n    svm.fit(X_train, y_train)\n'
                ),
            ),
        ],
        "train",
        "the model is logged and registered before it is trained",
    ),
    "hpo_objective_ignores_trial": (
        "hpo_flat_rf",
        [
            (
                '    n_estimators = trial.suggest_int("n_estimators", 10, 60)\n    max_depth = trial.suggest_int("max_depth", 2, 8)\n',
                "    n_estimators = N_ESTIMATORS\n    max_depth = MAX_DEPTH\n",
            )
        ],
        "suggest",
        "the Optuna objective ignores its trial",
    ),
    "hpo_unchanged_direction": (
        "hpo_adaboost_main",
        [('optuna.create_study(direction="maximize")', "optuna.create_study()")],
        "direction",
        "the study keeps the default direction (minimize) for an AUC",
    ),
    "hpo_hallucinated_suggest_range": (
        "hpo_torch_regression",
        [
            (
                'trial.suggest_float("LEARNING_RATE", 0.005, 0.3, log=True)',
                'trial.suggest_range("LEARNING_RATE", 0.005, 0.3)',
            )
        ],
        "suggest_range",
        "hallucinated Optuna API trial.suggest_range",
    ),
    "hpo_best_params_not_reported": (
        "hpo_flat_rf",
        [('print("best params:", study.best_params)\n', "")],
        "best",
        "the best params are never reported",
    ),
    "prune_before_training": (
        "prune_regression",
        [
            (
                'prune.l1_unstructured(model, name="weight", amount=0.25)\nprune.remove(model, "weight")\n',
                "",
            ),
            (
                "optimizer = torch.optim.SGD",
                'prune.l1_unstructured(model, name="weight", amount=0.25)\nprune.remove(model, "weight")\noptimizer = torch.optim.SGD',
            ),
        ],
        "before",
        "pruning applied before training",
    ),
    "prune_not_permanent": (
        "prune_regression",
        [('prune.remove(model, "weight")\n', "")],
        "permanent",
        "pruning never made permanent (no prune.remove)",
    ),
    "prune_not_evaluated": (
        "prune_regression",
        [
            (
                'with torch.no_grad():\n    pruned_test_mse = nn.functional.mse_loss(model(X[160:]), y[160:]).item()\nprint(f"test_mse after pruning: {pruned_test_mse:.4f}")\n',
                "",
            )
        ],
        "evaluat",
        "the pruned model is never evaluated",
    ),
    "prune_hallucinated_l1_structured": (
        "prune_regression",
        [
            (
                'prune.l1_unstructured(model, name="weight", amount=0.25)',
                'prune.l1_structured(model, name="weight", amount=0.25)',
            )
        ],
        "l1_structured",
        "hallucinated API prune.l1_structured",
    ),
    "quantize_wrong_keyword": (
        "quantize_flat_mlp",
        [
            (
                "quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)",
                "quantize_dynamic(model, layers={nn.Linear}, dtype=torch.qint8)",
            )
        ],
        "layers",
        "wrong keyword argument layers= (it is qconfig_spec)",
    ),
    "quantize_not_evaluated": (
        "quantize_config_dict",
        [
            (
                "quantized_results = metrics_of(model_int8, X[200:], y[200:])\nprint(f\"int8 loss: {quantized_results['loss']:.4f}\")\nprint(f\"int8 accuracy: {quantized_results['accuracy']:.3f}\")\n",
                "",
            )
        ],
        "evaluat",
        "the quantized model is never evaluated",
    ),
    "quantize_hallucinated_dynamic_quantize": (
        "quantize_trainer_class",
        [("torch.ao.quantization.quantize_dynamic(", "torch.ao.quantization.dynamic_quantize(")],
        "dynamic_quantize",
        "hallucinated API torch.ao.quantization.dynamic_quantize",
    ),
    "translate_still_git_adds_data": (
        "translate_version_csv",
        [('repo.index.add(["data.csv.dvc"])\n', 'repo.index.add(["data.csv.dvc", "data.csv"])\n')],
        "data.csv",
        "DVC code still git-adds the data file",
    ),
    "translate_wrong_keyword_revision": (
        "translate_tag_versions_fn",
        [
            (
                "dvc.api.read(DATA, repo=repo.working_tree_dir, rev=tag)",
                "dvc.api.read(DATA, repo=repo.working_tree_dir, revision=tag)",
            )
        ],
        "revision",
        "wrong keyword argument revision= (it is rev=)",
    ),
    "translate_data_write_dropped": (
        "translate_version_csv",
        [
            (
                'with open("data.csv", "a", newline="") as fh:\n    csv.writer(fh).writerow([3, 6])\n',
                "",
            )
        ],
        "writerow",
        "a data-producing statement unrelated to git was dropped",
    ),
    "wandb_loop_wraps_training": (
        "wandb_flat_rf",
        [
            (
                "model.fit(X_train, y_train)\n",
                'for step in range(3):\n    model.fit(X_train, y_train)\n    run.log({"step": step})\n',
            )
        ],
        "for step in range(3)",
        "an added loop wraps (and repeats) the original training, not only logging",
    ),
    "wandb_run_log_after_context": (
        "wandb_dataclass_run_context",
        [
            ('        run.log({"test_accuracy": acc})\n', ""),
            (
                '        print("test accuracy:", round(acc, 4))\n',
                '        print("test accuracy:", round(acc, 4))\n    run.log({"test_accuracy": acc})\n',
            ),
        ],
        "outside",
        "run.log after the `with wandb.init() as run:` block has finished the run",
    ),
    "mlflow_autolog_after_fit": (
        "mlflow_autolog_mlp",
        [
            ("mlflow.sklearn.autolog(log_models=False)\n", ""),
            (
                "    mlp.fit(X_train, y_train)\n",
                "    mlp.fit(X_train, y_train)\n    mlflow.sklearn.autolog(log_models=False)\n",
            ),
        ],
        "autolog",
        "autologging enabled only after the model was trained (it records nothing)",
    ),
    "mlflow_autolog_metrics_not_logged": (
        "mlflow_autolog_mlp",
        [('    mlflow.log_metrics({"test_accuracy": accuracy, "test_log_loss": loss})\n', "")],
        "accuracy",
        "relies on autolog for the test metrics, which autolog never sees",
    ),
    "register_model_before_log_model": (
        "register_model_after_log_mlp",
        [
            (
                "with mlflow.start_run():\n    model_info = ",
                (
                    "with mlflow.start_run() as run:\n"
                    '    mlflow.register_model(f"runs:/{run.info.run_id}/model", "iris-mlp")\n'
                    "    model_info = "
                ),
            ),
            ('    mlflow.register_model(model_info.model_uri, "iris-mlp")\n', ""),
        ],
        "before it is logged",
        "mlflow.register_model called before the model is logged to the run",
    ),
    "register_model_wrong_keyword": (
        "register_model_after_log_mlp",
        [
            (
                'mlflow.register_model(model_info.model_uri, "iris-mlp")',
                'mlflow.register_model(model_info.model_uri, model_name="iris-mlp")',
            )
        ],
        "model_name",
        "wrong keyword argument model_name= (it is name=)",
    ),
    "hpo_pruner_hallucinated_should_stop": (
        "hpo_pruner_early_stopping",
        [("if trial.should_prune():", "if trial.should_stop():")],
        "should_stop",
        "hallucinated Optuna API trial.should_stop (it is should_prune)",
    ),
    "quantize_before_training": (
        "quantize_module_class",
        [
            (
                "    model_int8 = torch.ao.quantization.quantize_dynamic(model, qconfig_spec={nn.Linear}, dtype=torch.qint8)\n",
                "",
            ),
            (
                "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n",
                (
                    "    model_int8 = torch.ao.quantization.quantize_dynamic(model, qconfig_spec={nn.Linear}, dtype=torch.qint8)\n"
                    "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
                ),
            ),
        ],
        "before",
        "the model is quantized before it is trained (inside main)",
    ),
    "translate_read_without_rev": (
        "translate_branch_experiment",
        [('dvc.api.read("labels.csv", repo=".", rev="baseline")', 'dvc.api.read("labels.csv", repo=".")')],
        "rev=",
        "the old version is read with dvc.api.read but without rev=, so it reads the current data",
    ),
    "translate_dvc_file_not_committed": (
        "translate_branch_experiment",
        [
            ('repo.index.add(["labels.csv.dvc", ".gitignore"])\n', 'repo.index.add([".gitignore"])\n'),
            ('repo.index.add(["labels.csv.dvc"])\n', ""),
        ],
        ".dvc files",
        "the .dvc file is never committed to git, so no git revision knows the data version",
    ),
}


def main() -> None:
    cases = []
    for good, (task, original) in GOOD.items():
        cases.append(
            {
                "id": good,
                "task": task,
                "original": CORPUS + original,
                "candidate": f"good/{good}.py",
                "expect": "accept",
                "mistake": "careful hand-written adaptation",
            }
        )
    (HERE / "bad").mkdir(exist_ok=True)
    for bad, (good, edits, reason, mistake) in BAD.items():
        text = (HERE / "good" / f"{good}.py").read_text(encoding="utf-8")
        changed = False
        for old, new in edits:
            if old in text:
                text = text.replace(old, new, 1)
                changed = True
        if not changed:
            raise SystemExit(f"{bad}: none of its edits applies to good/{good}.py")
        (HERE / "bad" / f"{bad}.py").write_text(text, encoding="utf-8")
        task, original = GOOD[good]
        cases.append(
            {
                "id": bad,
                "task": task,
                "original": CORPUS + original,
                "candidate": f"bad/{bad}.py",
                "expect": "reject",
                "reason": reason,
                "mistake": mistake,
            }
        )
    about = (
        "Verifier benchmark cases: 'accept' = careful hand-written adaptation, 'reject' = a realistic LLM "
        "mistake; `reason` is a keyword the rejection must contain. Generated by make_cases.py."
    )
    (HERE / "cases.json").write_text(
        json.dumps({"about": about, "cases": cases}, indent=1) + "\n", encoding="utf-8"
    )
    print(f"{len(GOOD)} good, {len(BAD)} bad")


if __name__ == "__main__":
    main()
