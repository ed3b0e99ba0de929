"""Which installed modules make up each target library's slice of the docs corpus."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LibrarySpec:
    """One target library: how to find its version and which modules to document."""

    name: str  # the task's library name, as in `mlops_adapt.tasks.Task.library`
    dist: str  # the distribution whose installed version the corpus records
    root: str  # the top-level import name
    modules: tuple[str, ...]  # modules documented in full (functions, classes, methods)
    # Ancestors of documented modules whose member names (not signatures) are recorded, so a
    # misspelled step on the way down (`torch.ao.quantisation`) is caught too.
    member_only: tuple[str, ...] = ()
    # Import paths to extra classes documented under their defining path.
    extra_classes: tuple[str, ...] = ()
    # Module-level objects whose type is known: `wandb.config` is a Config once a run starts.
    objects: dict[str, str] = field(default_factory=dict)
    # Names served lazily by a module `__getattr__`, invisible to dir().
    lazy_members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Dotted prefixes V3 checks; references elsewhere in the package are not judged.
    checked_prefixes: tuple[str, ...] = ()

    def checks(self, qualname: str) -> bool:
        """Whether V3 should judge a reference to this dotted name."""
        prefixes = self.checked_prefixes or (self.root,)
        return any(qualname == p or qualname.startswith(p + ".") for p in prefixes)


LIBRARIES: dict[str, LibrarySpec] = {
    spec.name: spec
    for spec in [
        LibrarySpec(
            name="mlflow",
            dist="mlflow",
            root="mlflow",
            modules=(
                "mlflow",
                "mlflow.sklearn",
                "mlflow.pytorch",
                "mlflow.pyfunc",
                "mlflow.models",
                "mlflow.tracking",
                "mlflow.client",
                "mlflow.xgboost",
                "mlflow.lightgbm",
                "mlflow.keras",
                "mlflow.tensorflow",
                "mlflow.onnx",
                "mlflow.statsmodels",
                "mlflow.data",
                "mlflow.artifacts",
                "mlflow.config",
                "mlflow.transformers",
            ),
            extra_classes=(
                "mlflow.entities.Run",
                "mlflow.entities.RunInfo",
                "mlflow.entities.RunData",
                "mlflow.entities.Experiment",
                "mlflow.entities.model_registry.ModelVersion",
                "mlflow.entities.model_registry.RegisteredModel",
                "mlflow.models.model.ModelInfo",
            ),
        ),
        LibrarySpec(
            name="wandb",
            dist="wandb",
            root="wandb",
            modules=("wandb",),
            extra_classes=(
                "wandb.sdk.wandb_summary.Summary",
                "wandb.sdk.wandb_config.Config",
                "wandb.sdk.wandb_run.Run",
                "wandb.sdk.wandb_settings.Settings",
                "wandb.apis.public.Api",
            ),
            objects={
                "wandb.config": "wandb.sdk.wandb_config.Config",
                "wandb.summary": "wandb.sdk.wandb_summary.Summary",
                "wandb.run": "wandb.sdk.wandb_run.Run",
            },
            lazy_members={"wandb": ("Api",)},
        ),
        LibrarySpec(
            name="optuna",
            dist="optuna",
            root="optuna",
            modules=(
                "optuna",
                "optuna.samplers",
                "optuna.pruners",
                "optuna.trial",
                "optuna.study",
                "optuna.distributions",
                "optuna.visualization",
                "optuna.importance",
                "optuna.storages",
                "optuna.logging",
                "optuna.exceptions",
            ),
        ),
        LibrarySpec(
            name="torch",
            dist="torch",
            root="torch",
            modules=("torch.nn.utils.prune", "torch.ao.quantization", "torch.quantization"),
            member_only=("torch", "torch.nn", "torch.nn.utils", "torch.ao"),
            checked_prefixes=("torch.nn.utils", "torch.ao", "torch.quantization"),
        ),
        LibrarySpec(
            name="dvc",
            dist="dvc",
            root="dvc",
            modules=("dvc.api", "dvc.repo"),
            member_only=("dvc",),
        ),
        LibrarySpec(
            name="git",
            dist="GitPython",
            root="git",
            modules=("git",),
            extra_classes=("git.index.base.IndexFile", "git.remote.Remote", "git.cmd.Git"),
        ),
    ]
}


def get_library(name: str) -> LibrarySpec:
    """Return the spec of a target library, or raise KeyError naming the known ones."""
    try:
        return LIBRARIES[name]
    except KeyError:
        raise KeyError(
            f"unknown library {name!r}; known libraries: {', '.join(LIBRARIES)}"
        ) from None
