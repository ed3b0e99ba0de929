"""V5 checks of `track-wandb`, inlined into the generated test: the same rule on the offline run's
config and its summary/history, and the run finished (an exit record with code 0).
"""

from __future__ import annotations

# inline: drop-start
from mlops_adapt.verify.testkit import (
    METRICS,
    metric_logged,
    metric_logged_by_value,
    missing_hyperparams,
    unlogged_cv,
    value_mismatches,
)
from mlops_adapt.verify.wandb_offline import find_offline_runs, read_offline_run

# inline: drop-end


def _wandb_runs(run):
    files = find_offline_runs(run.wandb_dir)
    return [read_offline_run(f) for f in files]


def test_wandb_run_holds_config_and_metrics(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    runs = _wandb_runs(run)
    assert runs, "no W&B offline run was recorded"
    unfinished = [r["run"].get("id") for r in runs if r["exit_code"] != 0]
    assert not unfinished, f"W&B run(s) not finished cleanly (no exit record with code 0): {unfinished}"
    config, logged = {}, set()
    values, series = [], {}
    for r in runs:
        config.update(r["config"])
        logged.update(k for k in r["summary"] if not k.startswith("_"))
        values.extend(v for k, v in r["summary"].items() if not k.startswith("_"))
        for row in r["history"]:
            logged.update(k for k in row if not k.startswith("_"))
            for k, v in row.items():
                if not k.startswith("_"):
                    values.append(v)
                    series.setdefault(k, []).append(v)
    missing = missing_hyperparams(config)
    assert not missing, f"hyperparameters not in the W&B config: {', '.join(missing)} (config: {sorted(config)})"
    lost = [m for m in METRICS if not metric_logged(m, logged)]
    lost = unlogged_cv(lost, run, values, list(series.values()))
    lost = [m for m in lost if not metric_logged_by_value(m, values, run.stdout)]
    assert not lost, f"metrics not logged to W&B: {', '.join(lost)} (logged: {sorted(logged)})"
    wrong = value_mismatches(series, run.stdout)
    assert not wrong, "logged values differ from what the script reports: " + "; ".join(wrong)


# inline: drop-start
# The kept test's check (`apply --write --emit-test`): testgen copies the kept_ functions into
# that test, with verify/kept.py; the V5 test above does not carry them.
from mlops_adapt.verify.kept import LOGGED_METRICS, LOGGED_PARAMS


def kept_side_effect(run):
    """an offline W&B run was written and its records name every logged config and metric key."""
    files = sorted(run.workdir.glob("wandb/offline-run-*/run-*.wandb"))
    assert files, "no offline W&B run was written"
    records = b"".join(path.read_bytes() for path in files)
    # The run file is binary (protobuf records), but keys are stored as plain UTF-8 text.
    missing = [key for key in LOGGED_PARAMS + LOGGED_METRICS if key.encode("utf-8") not in records]
    assert not missing, f"keys missing from the W&B run: {missing}"
# inline: drop-end
