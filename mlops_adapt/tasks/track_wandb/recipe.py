"""Recipe track-wandb: a Weights & Biases run with the script's config and logged results."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import code, last_name, names_in, nodes_of
from mlops_adapt.tasks.track_wandb import SPEC
from mlops_adapt.transforms.base import Example, Recipe, SkipFile
from mlops_adapt.transforms.rewriter import apply_plan
from mlops_adapt.transforms.tracking import (
    Backend,
    TrackingPlanner,
    dict_literal,
    existing_use,
    project_name,
)

WANDB_LOGS = {"log", "watch", "update"}  # "update": wandb.config.update


def _step_key(step: str) -> str:
    """The key the step is logged under: its own name, or "epoch" for an unnamed loop (`for _ in ...`)."""
    return "epoch" if step == "_" else step


def counted_from_one(tree: cst.Module) -> set[str]:
    """Loop variables the script only ever prints as `{epoch + 1}`: it counts those steps from one,
    so the logged step field says the same number as its output (`epoch 15`, not 14)."""
    shown: dict[str, set[bool]] = {}
    for call in nodes_of(tree, cst.Call):
        if last_name(call) != "print":
            continue
        shown_exprs = [part.expression for part in nodes_of(call, cst.FormattedStringExpression)]
        shown_exprs += [a.value for a in call.args if not isinstance(a.value, (cst.FormattedString, cst.SimpleString))]
        for expr in shown_exprs:
            text = code(expr).strip()
            for name in names_in(expr):
                shown.setdefault(name, set()).add(bool(re.fullmatch(rf"{re.escape(name)}\s*\+\s*1", text)))
    loop_vars = {t.value for f in nodes_of(tree, cst.For) if isinstance(t := f.target, cst.Name)}
    return {name for name, forms in shown.items() if name in loop_vars and forms == {True}}


class WandbBackend(Backend):
    """wandb's module-level API; per-step values carry their step variable as a field."""

    library = "wandb"

    def __init__(self, project: str, one_based: frozenset[str] = frozenset()) -> None:
        self.project = project
        self.one_based = one_based  # steps the script prints as `step + 1`

    def _step_value(self, step: str) -> str:
        return f"{step} + 1" if step in self.one_based else step

    def _init(self, constants) -> str:
        config = f", config={dict_literal(constants)}" if constants else ""
        return f'wandb.init(project="{self.project}"{config})'

    def start(self, constants):
        return [self._init(constants)]

    def with_item(self, constants):
        return self._init(constants)

    def start_params(self, constants):
        return []

    def end(self):
        return "wandb.finish()"

    def nested_item(self, run_name):
        return None  # W&B has no nested runs: keys get the iteration's name as a prefix instead

    def params(self, entries, prefix):
        return f"wandb.config.update({dict_literal(entries, prefix)}, allow_val_change=True)"

    def params_dict(self, expr):
        return f"wandb.config.update({expr}, allow_val_change=True)"

    def metric(self, key, expr, step, prefix):
        name = f'f"{prefix}/{key}"' if prefix else f'"{key}"'
        step_field = f', "{_step_key(step)}": {self._step_value(step)}' if step else ""
        return f"wandb.log({{{name}: {expr}{step_field}}})"

    def metrics_dict(self, expr, step, prefix):
        if prefix:
            body = f'{{f"{prefix}/{{k}}": v for k, v in {expr}.items()}}'
        else:
            body = expr
        if step:
            return f'wandb.log({{**{body}, "{_step_key(step)}": {self._step_value(step)}}})'
        return f"wandb.log({body})"

    def round_metrics(self, row, step):
        return f'wandb.log({{**{row}, "round": {step}}})'


class AddWandbTracking(Recipe):
    """Track the script with Weights & Biases.

    Opens `with wandb.init(...):` around the script's training and evaluation (never on import;
    a crash finishes the run with a failure exit code), with the module's
    constants as its config; adds argparse, config-dict, dataclass and model-argument
    hyperparameters to `wandb.config`; logs every evaluation result with `wandb.log`
    (per-epoch values carry their epoch as a field); the context finishes the run. The project name
    comes from `--option project=NAME`, else from the file name.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            """
            from sklearn.datasets import load_diabetes
            from sklearn.linear_model import Ridge
            from sklearn.metrics import mean_squared_error

            ALPHA = 0.5

            if __name__ == "__main__":
                X, y = load_diabetes(return_X_y=True)
                model = Ridge(alpha=ALPHA)
                model.fit(X[:300], y[:300])
                mse = mean_squared_error(y[300:], model.predict(X[300:]))
                print("mse", mse)
            """,
            """
            from sklearn.datasets import load_diabetes
            from sklearn.linear_model import Ridge
            from sklearn.metrics import mean_squared_error
            import wandb

            ALPHA = 0.5

            if __name__ == "__main__":
                X, y = load_diabetes(return_X_y=True)
                with wandb.init(project="mlops-adapt", config={"ALPHA": ALPHA}):
                    model = Ridge(alpha=ALPHA)
                    model.fit(X[:300], y[:300])
                    mse = mean_squared_error(y[300:], model.predict(X[300:]))
                    wandb.log({"mse": mse})
                    print("mse", mse)
            """,
        ),
    ]
    NOOP = [
        """
        import wandb

        run = wandb.init(project="demo")
        wandb.log({"acc": 0.9})
        wandb.finish()
        """,
    ]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        scan = self.scan(tree)
        use = existing_use(scan, "wandb", {"init"}, WANDB_LOGS)
        if use.logs:
            raise SkipFile("already tracked with Weights & Biases")
        project = self.option("project", project_name(self.options.path))
        backend = WandbBackend(project, frozenset(counted_from_one(tree)))
        planner = TrackingPlanner(tree, backend, lifecycle=not use.has_run, scan=scan)
        planner.plan_tracking("wandb")
        return apply_plan(tree, planner.plan)
