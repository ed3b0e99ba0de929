"""The task catalog: stable public task ids and what each one targets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One adaptation the tool can make."""

    id: str
    kind: str  # "inline" or "translate"
    target: str  # human name of the target tool
    library: str  # import name of the target library, used by V3 and retrieval
    title: str


TASKS: dict[str, Task] = {
    t.id: t
    for t in [
        Task("track-mlflow", "inline", "MLflow", "mlflow",
             "Track hyperparameters and metrics with MLflow"),
        Task("track-wandb", "inline", "Weights & Biases", "wandb",
             "Track hyperparameters and metrics with Weights & Biases"),
        Task("hpo-optuna", "inline", "Optuna", "optuna",
             "Tune hyperparameters with an Optuna study"),
        Task("register-mlflow", "inline", "MLflow Model Registry", "mlflow",
             "Log and register the trained model in the MLflow Model Registry"),
        Task("optimize-prune", "inline", "torch.nn.utils.prune", "torch",
             "Prune the trained torch model and report the metric before and after"),
        Task("optimize-quantize", "inline", "torch.ao.quantization", "torch",
             "Quantize the trained torch model (dynamic int8) and report the metric"),
        Task("translate-gitpython-dvc", "translate", "DVC", "dvc",
             "Version data files with DVC instead of GitPython"),
    ]
}


def get_task(task_id: str) -> Task:
    """Return the task with this id, or raise KeyError with the known ids."""
    try:
        return TASKS[task_id]
    except KeyError:
        known = ", ".join(TASKS)
        raise KeyError(f"unknown task {task_id!r}; known tasks: {known}") from None
