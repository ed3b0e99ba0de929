"""Recipe track-mlflow: an MLflow run with the script's hyperparameters and evaluation results."""

from __future__ import annotations

import libcst as cst

from mlops_adapt.tasks.track_mlflow import SPEC
from mlops_adapt.tasks.track_mlflow.merge_params import MergeLogParams
from mlops_adapt.transforms.base import Example, Recipe, SkipFile
from mlops_adapt.transforms.rewriter import apply_plan
from mlops_adapt.transforms.tracking import (
    Backend,
    TrackingPlanner,
    dict_literal,
    existing_use,
    project_name,
)

MLFLOW_LOGS = {"log_param", "log_params", "log_metric", "log_metrics", "autolog"}


class MlflowBackend(Backend):
    """MLflow's fluent API."""

    library = "mlflow"

    def __init__(self, run_name: str = "mlops-adapt") -> None:
        # A named run: without a name MLflow draws one from the global `random`, which would
        # change what a seeded script draws next (and so what it prints).
        self.run_name = run_name

    def start(self, constants):
        return [self.with_item(constants)] + self.start_params(constants)

    def with_item(self, constants):
        return f'mlflow.start_run(run_name="{self.run_name}")'

    def start_params(self, constants):
        return [self.params(constants, None)] if constants else []

    def end(self):
        return "mlflow.end_run()"

    def nested_item(self, run_name):
        return f"mlflow.start_run(run_name={run_name}, nested=True)"

    def params(self, entries, prefix):
        return f"mlflow.log_params({dict_literal(entries, prefix)})"

    def params_dict(self, expr):
        return f"mlflow.log_params({expr})"

    def metric(self, key, expr, step, prefix):
        name = f'f"{prefix}/{key}"' if prefix else f'"{key}"'
        step_arg = f", step={step}" if step else ""
        return f"mlflow.log_metric({name}, {expr}{step_arg})"

    def metrics_dict(self, expr, step, prefix):
        step_arg = f", step={step}" if step else ""
        return f"mlflow.log_metrics({expr}{step_arg})"

    def round_metrics(self, row, step):
        return f"mlflow.log_metrics({row}, step={step})"


class AddMlflowTracking(Recipe):
    """Track the script with MLflow.

    Opens one `with mlflow.start_run():` around the script's training and evaluation (after its
    own MLflow and matplotlib configuration; inside the main guard, or inside main() when the
    guard exits with sys.exit(main()), so importing the script starts no run and a crash ends the
    run FAILED). It logs every hyperparameter it
    finds (module constants, argparse defaults, config dicts, dataclass configs and literal
    model/optimizer arguments) as params, and every evaluation result (metric calls, metric
    variables, dicts of metrics, printed results) as metrics, each under one name: a constructor
    argument fed by a logged constant is not logged again, and an accumulator (`test_loss = 0`)
    is logged after its last update, never at its reset. Per-epoch values get `step=`;
    per-batch values are not logged.
    Loops that compare models or sweep a value get one nested run per iteration. Nothing
    the script already does is removed or reordered.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            """
            from sklearn.datasets import load_iris
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.metrics import accuracy_score
            from sklearn.model_selection import train_test_split

            N_ESTIMATORS = 50

            X, y = load_iris(return_X_y=True)
            X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
            model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=4)
            model.fit(X_train, y_train)
            # Evaluate on the held-out split.
            acc = accuracy_score(y_test, model.predict(X_test))
            print(f"accuracy: {acc:.3f}")
            """,
            """
            from sklearn.datasets import load_iris
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.metrics import accuracy_score
            from sklearn.model_selection import train_test_split
            import mlflow

            N_ESTIMATORS = 50

            X, y = load_iris(return_X_y=True)
            X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
            model = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=4)
            with mlflow.start_run(run_name="mlops-adapt"):
                mlflow.log_params({"N_ESTIMATORS": N_ESTIMATORS, "test_size": 0.25, "random_state": 0, "max_depth": 4})
                model.fit(X_train, y_train)
                # Evaluate on the held-out split.
                acc = accuracy_score(y_test, model.predict(X_test))
                mlflow.log_metric("acc", acc)
                print(f"accuracy: {acc:.3f}")
            """,
        ),
    ]
    NOOP = [
        """
        import mlflow
        from sklearn.linear_model import LogisticRegression

        with mlflow.start_run():
            model = LogisticRegression(C=1.0)
            mlflow.log_params({"C": 1.0})
        """,
        """
        def add(a, b):
            return a + b
        """,
    ]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        scan = self.scan(tree)
        use = existing_use(scan, "mlflow", {"start_run"}, MLFLOW_LOGS)
        if use.logs:
            raise SkipFile("already tracked with MLflow")
        backend = MlflowBackend(project_name(self.options.path))
        planner = TrackingPlanner(tree, backend, lifecycle=not use.has_run, scan=scan)
        planner.plan_tracking("mlflow")
        # Constants, split settings and a model's literal arguments are planned as separate
        # log_params calls; where they land side by side, one call says it once.
        return apply_plan(tree, planner.plan).visit(MergeLogParams())
