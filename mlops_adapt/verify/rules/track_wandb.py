"""V2/V4 rules for track-wandb: an initialised and finished run, config and logged results."""

from __future__ import annotations

import re

from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.rules.tracking_common import (
    library_calls,
    logged_by,
    missing_hyperparams,
    missing_metrics,
)

STARTS = {"wandb.init"}
ENDS = {"wandb.finish"}


class TrackWandbRules(TaskRules):
    TASK = "track-wandb"
    HELPER_NAMES = frozenset({"dataclasses"})

    def postconditions(self, original, candidate, facts, options):
        calls = library_calls(candidate, "wandb", STARTS, ENDS)
        problems = []
        if not any(c.name in STARTS for c in calls):
            problems.append("no W&B run is started (wandb.init)")
        finished = any(c.name in ENDS for c in calls) or "with wandb.init(" in candidate.code
        finished = finished or ".finish()" in candidate.code
        if not finished:
            problems.append("the W&B run is never finished (wandb.finish)")
        for c in calls:
            if c.name.split(".")[-1] == "log" and not c.active:
                problems.append(f"`{c.name}` at line {c.line} runs outside an active W&B run")
        config_calls = [c for c in calls if c.name in ("wandb.init", "wandb.config.update")]
        config = logged_by(config_calls, {"init", "update"})
        # `wandb.config["lr"] = lr` and `wandb.config.lr = lr` also set config.
        for line in candidate.code.splitlines():
            if "wandb.config[" in line or "wandb.config." in line:
                config.texts.append(line)
                config.keys |= {k for pair in re.findall(r"config\[[\"'](\w+)[\"']\]|config\.(\w+)\s*=", line) for k in pair if k}
                config.names |= set(re.findall(r"=\s*([A-Za-z_]\w*)", line))
        problems += missing_hyperparams(facts, config, autolog=False)
        log_calls = [c for c in calls if c.name in ("wandb.log",)]
        logged = logged_by(log_calls, {"log"})
        for line in candidate.code.splitlines():
            if "wandb.summary" in line or ".summary[" in line:
                logged.texts.append(line)
                logged.keys |= set(re.findall(r"summary\[[\"'](\w+)[\"']\]", line))
                logged.names |= set(re.findall(r"=\s*([A-Za-z_]\w*)", line))
        problems += missing_metrics(facts, logged)
        return problems
