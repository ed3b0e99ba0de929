"""Recipe register-mlflow: log the trained model with its MLflow flavor and register it."""

from __future__ import annotations

import re
from dataclasses import replace

import libcst as cst

from mlops_adapt.analysis.exprs import all_statements, calls_in, code, iter_nodes, last_name, nodes_of
from mlops_adapt.analysis.models import _trains, find_trained_models
from mlops_adapt.analysis.scan import TrainedModel
from mlops_adapt.tasks.register_mlflow import SPEC
from mlops_adapt.tasks.track_mlflow.recipe import MlflowBackend
from mlops_adapt.transforms.base import Example, Recipe, SkipFile, Unsupported
from mlops_adapt.transforms.rewriter import apply_plan
from mlops_adapt.transforms.tracking import TrackingPlanner, existing_use, project_name

FLAVORS = {"sklearn": "mlflow.sklearn", "torch": "mlflow.pytorch", "xgboost": "mlflow.xgboost",
           "lightgbm": "mlflow.lightgbm"}
SEARCH_CVS = frozenset({"GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV"})
# MLflow 3 saves sklearn models with skops (its default, no pickle) and names the types it must
# trust; these estimators need none. Others get the types of the model the script itself trained.
SKOPS_CLEAN = re.compile(
    r"^(Linear|Logistic|Ridge|Lasso|ElasticNet|SGD|SV[CR]|LinearSV|NuSV|KMeans|MiniBatchKMeans|Gaussian(NB|Process)"
    r"|MultinomialNB|BernoulliNB|StandardScaler|MinMaxScaler|PCA|Perceptron|BayesianRidge|Huber|Quantile)"
)
# torch's default ("pt2", torch.export) needs an input example traced through the model, which a
# recipe cannot build for an arbitrary model; pickle is what `torch.save(model)` does too.
SERIALIZATION = {"torch": "pickle"}


def choose_model(models: list[TrainedModel], saved: set[str]) -> TrainedModel | None:
    """The model to register: a saved one first, else the last one trained."""
    trained = [m for m in models if m.trained_after is not None]
    for model in reversed(trained):
        if model.var in saved:
            return model
    return trained[-1] if trained else None


class RegisterMlflowModel(Recipe):
    """Register the trained model in the MLflow Model Registry.

    Finds the model the script trains (the one a sweep keeps as its best, else a saved one,
    else the last one trained), and
    right after its training (or after it is saved with joblib, pickle or torch.save) logs it
    with the matching MLflow flavor (`mlflow.sklearn` or `mlflow.pytorch`) under `name="model"`
    with `registered_model_name`, inside an MLflow run (the script's own run when it has one).
    sklearn models keep MLflow's default serialization (skops), trusting the types of the
    model the script trained; torch models are pickled, since MLflow's default (torch.export)
    needs an input example. The registered name comes from
    `--option model_name=NAME`, else from the file name. A model the script only scores with
    cross-validation is first fitted once on the same data (`model.fit(X, y)`), since
    cross-validation leaves no fitted model behind.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            """
            import joblib
            from sklearn.datasets import load_wine
            from sklearn.tree import DecisionTreeClassifier

            def main():
                X, y = load_wine(return_X_y=True)
                clf = DecisionTreeClassifier(max_depth=3)
                clf.fit(X, y)
                joblib.dump(clf, "model.joblib")

            if __name__ == "__main__":
                main()
            """,
            """
            import joblib
            from sklearn.datasets import load_wine
            from sklearn.tree import DecisionTreeClassifier
            import mlflow
            import mlflow.sklearn
            import skops.io

            def main():
                X, y = load_wine(return_X_y=True)
                clf = DecisionTreeClassifier(max_depth=3)
                clf.fit(X, y)
                joblib.dump(clf, "model.joblib")
                mlflow.sklearn.log_model(clf, name="model", registered_model_name="mlops-adapt", skops_trusted_types=skops.io.get_untrusted_types(data=skops.io.dumps(clf)))

            if __name__ == "__main__":
                with mlflow.start_run():
                    main()
            """,
        ),
    ]
    NOOP = [
        """
        import mlflow
        from sklearn.linear_model import LinearRegression

        with mlflow.start_run():
            model = LinearRegression().fit([[0], [1]], [0, 1])
            mlflow.sklearn.log_model(model, name="model", registered_model_name="lr")
        """,
    ]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if "registered_model_name" in (self.source or tree.code) or "register_model(" in (self.source or tree.code):
            raise SkipFile("the model is already registered with MLflow")
        scan = self.scan(tree)
        models = find_trained_models(tree, scan)
        refit: str | None = None
        if not models or all(m.trained_after is None for m in models):
            cross_validated = _cross_validated(tree, models)
            if cross_validated is not None:
                # Only scored by cross-validation: fit it once on the same data, then register it.
                models, refit = [cross_validated[0]], cross_validated[1]
            elif scan.fit_lines or scan.torch_loops:
                raise Unsupported("the trained model is not held in a local variable (e.g. it lives in self.model)")
            else:
                # A numpy loop that reports a loss trains no model object: nothing to register.
                raise SkipFile("nothing to adapt: no trained model found")
        saved = {obj for _, obj, _, _, _ in scan.artifacts if obj}
        saved |= {obj.split(".")[0] for obj in saved}
        model = choose_model(models, saved)
        assert model is not None
        flavor = FLAVORS.get(model.framework)
        if flavor is None:
            raise Unsupported(f"no MLflow flavor is known for a {model.framework} model")
        anchor = model.trained_after
        if anchor is scan.main_guard and anchor is not None:
            # main() trains the module-level model: log it right after that call, inside the guard.
            inner = [st for st in anchor.body.body if _trains(st, model.var, scan)]
            anchor = inner[-1] if inner else anchor.body.body[-1]
        for _, obj, _, _, stmt in scan.artifacts:
            if obj and obj.split(".")[0] == model.var and _same_block(tree, stmt, anchor):
                anchor = stmt
        logged = f"{model.var}.best_estimator_" if model.constructor in SEARCH_CVS else model.var
        best = _best_of_sweep(tree, model)
        if best is not None:
            # A sweep keeps its winner in `best_model = clf`: register that one, once, after the loop.
            anchor, logged = best
        use = existing_use(scan, "mlflow", {"start_run"}, set())
        planner = TrackingPlanner(tree, MlflowBackend(), lifecycle=not use.has_run, scan=scan)
        planner.plan_runs(extra_anchors=(anchor,))
        if refit:
            planner.plan.add_after(anchor, refit)
        name = self.option("model_name", project_name(self.options.path))
        extra = _serialization_args(model, tree, logged)
        planner.plan.add_after(
            anchor, f'{flavor}.log_model({logged}, name="model", registered_model_name="{name}"{extra})'
        )
        planner.plan.add_import("mlflow")
        planner.plan.add_import(flavor)
        if "skops" in extra:
            planner.plan.add_import("skops.io")
        return apply_plan(tree, planner.plan)


def _serialization_args(model: TrainedModel, tree: cst.Module, logged: str) -> str:
    """Keyword arguments of log_model that pick and permit the model's serialization."""
    fmt = SERIALIZATION.get(model.framework)
    if fmt:
        return f', serialization_format="{fmt}"'
    if model.framework != "sklearn":
        return ""
    ctor_calls = [last_name(c) or "" for c in calls_in(model.defined_at)]
    if ctor_calls and all(SKOPS_CLEAN.match(n) or n in ("make_pipeline", "Pipeline") for n in ctor_calls):
        return ""
    return f", skops_trusted_types=skops.io.get_untrusted_types(data=skops.io.dumps({logged}))"


def _best_of_sweep(tree: cst.Module, model: TrainedModel) -> tuple[cst.CSTNode, str] | None:
    """(the loop, "best_model") when a loop trains the model and keeps the best in another name."""
    for loop in nodes_of(tree, cst.For):
        inner = list(all_statements(loop.body))
        if not any(s is model.defined_at for s in inner):
            continue
        for stmt in inner:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if (isinstance(small, cst.Assign) and len(small.targets) == 1
                        and isinstance(small.targets[0].target, cst.Name)
                        and isinstance(small.value, cst.Name) and small.value.value == model.var):
                    return loop, small.targets[0].target.value
    return None


def _cross_validated(tree: cst.Module, models: list[TrainedModel]) -> tuple[TrainedModel, str] | None:
    """(model, "model.fit(X, y)") for a model only passed to cross_val_score / cross_validate."""
    for model in reversed(models):
        func = model.ctx.function
        statements = list(func.body.body) if func is not None else list(tree.body)
        for stmt in statements:
            for call in calls_in(stmt):
                args = [a for a in call.args if a.keyword is None]
                if (last_name(call) in ("cross_val_score", "cross_validate") and len(args) >= 3
                        and code(args[0].value) == model.var):
                    fit = f"{model.var}.fit({code(args[1].value)}, {code(args[2].value)})"
                    return replace(model, trained_after=stmt), fit
    return None


def _same_block(tree: cst.Module, a: cst.CSTNode, b: cst.CSTNode | None) -> bool:
    """True when two statements sit in the same statement list."""
    if b is None:
        return False
    wanted = {id(a), id(b)}
    for node in iter_nodes(tree, skip=(cst.BaseExpression, cst.BaseSmallStatement)):
        body = getattr(node, "body", None)
        if isinstance(body, (list, tuple)) and wanted <= {id(x) for x in body}:
            return True
    return False
