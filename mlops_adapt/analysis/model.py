"""The fact types that analysis produces and recipes, verification and prompts consume."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

HyperparamKind = Literal["constant", "argparse", "config-dict", "dataclass", "ctor-kwarg"]
Framework = Literal["sklearn", "torch", "xgboost", "lightgbm", "keras", "other"]


@dataclass(frozen=True)
class Hyperparam:
    """A hyperparameter the script sets, with where and how it is defined."""

    name: str  # the key it is logged under, e.g. "LEARNING_RATE", "lr", "n_estimators"
    value: str | None  # source text of its literal default, if any
    kind: HyperparamKind
    line: int
    owner: str | None = None  # config variable, dataclass, argparse parser or constructor name


@dataclass(frozen=True)
class Metric:
    """An evaluation result the script computes."""

    name: str  # the key it is logged under
    expr: str  # source text of the value
    kind: Literal["variable", "dict", "printed", "cv"]
    line: int
    in_loop: bool = False  # computed inside a loop (per epoch or per fold)


@dataclass(frozen=True)
class Model:
    """A model object the script builds and trains."""

    var: str
    constructor: str  # e.g. "RandomForestClassifier", "Net"
    framework: Framework
    line: int
    trained_line: int | None = None  # line of its last .fit / training loop


@dataclass(frozen=True)
class TrainingLoop:
    """A place where training happens."""

    kind: Literal["fit", "torch-loop", "cv"]
    line: int
    step_var: str | None = None  # the per-epoch counter, when there is one


@dataclass(frozen=True)
class Artifact:
    """A saved model or file."""

    saver: str  # "joblib", "pickle", "torch", "numpy", "other"
    obj: str | None  # source text of the saved object
    path: str | None  # source text of the destination
    line: int


@dataclass(frozen=True)
class GitDataOp:
    """A GitPython operation on the repository (translation input)."""

    op: str  # "init", "add", "commit", "tag", "push", "show", "checkout", "status", "diff", ...
    line: int
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    """Everything analysis found in one source text."""

    hyperparams: tuple[Hyperparam, ...] = ()
    metrics: tuple[Metric, ...] = ()
    models: tuple[Model, ...] = ()
    loops: tuple[TrainingLoop, ...] = ()
    artifacts: tuple[Artifact, ...] = ()
    git_ops: tuple[GitDataOp, ...] = ()
    imports: frozenset[str] = field(default_factory=frozenset)  # top-level modules imported

    @property
    def trains(self) -> bool:
        """True when the script trains something."""
        return bool(self.loops or any(m.trained_line for m in self.models))

    def to_dict(self) -> dict:
        """JSON-ready form, used in prompts and reports."""
        from dataclasses import asdict

        data = asdict(self)
        data["imports"] = sorted(self.imports)
        return data
