"""V2/V4 rules for track-wandb: an initialised and finished run, config and logged results."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import code, dotted, main_guard_exits, nodes_of
from mlops_adapt.tasks.track_wandb import SPEC
from mlops_adapt.verify.rules.run_shape import run_before_config, run_on_import, runs_split_or_repeated
from mlops_adapt.verify.rules.base import Recommendation, TaskRules
from mlops_adapt.verify.rules.tracking_common import (
    derived_names,
    library_calls,
    library_names,
    hard_coded_values,
    logged_after_reset,
    logged_by,
    missing_hyperparams,
    misreported_params,
    missing_metrics,
    reported_names,
    run_object_names,
)

STARTS = {"wandb.init"}
ENDS = {"wandb.finish"}


class TrackWandbRules(TaskRules):
    TASK = SPEC.id
    HELPER_NAMES = frozenset({"dataclasses"})

    def postconditions(self, original, candidate, facts, options):
        calls = library_calls(candidate, "wandb", STARTS, ENDS, run_objects=True)
        runs = run_object_names(candidate, "wandb", STARTS)
        problems = []
        if not any(c.name in STARTS for c in calls):
            problems.append("no W&B run is started (wandb.init)")
        # A main guard ending in sys.exit(...) lets W&B's exit hook finish the run with the exit code.
        finished = any(c.name in ENDS for c in calls) or _init_as_context(candidate) or _guard_exits(candidate)
        if not finished:
            # W&B finishes an open run when the process exits; an explicit finish is still clearer.
            problems.append(Recommendation("the W&B run is never finished explicitly (wandb.finish)"))
        for c in calls:
            if c.name.split(".")[-1] == "log" and not c.active:
                problems.append(f"`{c.name}` at line {c.line} runs outside an active W&B run")
        config_calls = [c for c in calls if c.name in ("wandb.init", "wandb.config.update")]
        config = logged_by(config_calls, {"init", "update"}, candidate)
        # `wandb.config["lr"] = lr` and `run.config.lr = lr` also set config.
        local = {name for name, full in library_names(candidate, "wandb").items() if full == "wandb"}
        owners = "|".join(re.escape(n) for n in sorted({*local, *(f"{n}.run" for n in local), *runs}))
        config_line = re.compile(rf"(?<![\w.])({owners})\.config(\[|\.\w+\s*=)")
        for line in candidate.code.splitlines():
            if config_line.search(line):
                config.texts.append(line)
                config.keys |= {k for pair in re.findall(r"config\[[\"'](\w+)[\"']\]|config\.(\w+)\s*=", line) for k in pair if k}
                config.names |= set(re.findall(r"=\s*([A-Za-z_]\w*)", line))
        problems += missing_hyperparams(facts, config, autolog=False)
        problems += run_on_import(original, candidate, STARTS)
        problems += runs_split_or_repeated(original, candidate, STARTS)
        problems += run_before_config(candidate, STARTS)
        problems += misreported_params(facts, config_calls)
        log_calls = [c for c in calls if c.name in ("wandb.log", "wandb.summary.update")]
        logged = logged_by(log_calls, {"log", "update"}, candidate)
        for line in candidate.code.splitlines():
            if "wandb.summary" in line or ".summary[" in line:
                logged.texts.append(line)
                logged.keys |= set(re.findall(r"summary\[[\"'](\w+)[\"']\]", line))
                logged.names |= set(re.findall(r"=\s*([A-Za-z_]\w*)", line))
        problems += missing_metrics(facts, logged, derived_names(candidate), reported_names(original))
        problems += logged_after_reset(candidate, log_calls, {"log"})
        problems += hard_coded_values(log_calls, {"log"})
        return problems


def _init_as_context(module) -> bool:
    """`with wandb.init(...) as run:` finishes the run when the block ends."""
    names = library_names(module, "wandb")
    for item in nodes_of(module, (cst.WithItem,)):
        if isinstance(item.item, cst.Call):
            name = dotted(item.item.func) or ""
            head, _, rest = name.partition(".")
            if head in names and f"{names[head]}.{rest}".rstrip(".") in STARTS:
                return True
    return False


def _guard_exits(module) -> bool:
    """True when `if __name__ == "__main__":` ends by calling sys.exit / exit / SystemExit."""
    return any(isinstance(s, cst.If) and "__main__" in code(s.test) and main_guard_exits(s) for s in module.body)
