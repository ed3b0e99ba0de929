"""V5 checks of `optimize-prune`, inlined into the generated test: a torch pruning call zeroed
weights after training, it was made permanent (`prune.remove`), the pruned model was evaluated
again and a result was printed.
"""

from __future__ import annotations

import re

# inline: drop-start
from mlops_adapt.verify.testkit import (
    TRAINS_WITH_OPTIMIZER,
    extra_output_lines,
)

# inline: drop-end


def test_model_was_pruned_after_training_and_evaluated(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    events = run.observations
    pruning = [e for e in events if e.get("event", "").startswith("prune.") and e["event"] != "prune.remove"]
    assert pruning, "no torch.nn.utils.prune call pruned the model"
    assert any((e.get("sparsity") or 0) > 0 for e in pruning), "pruning zeroed no weight (amount 0?)"
    removed = [e for e in events if e.get("event") == "prune.remove"]
    assert removed, "pruning was not made permanent: prune.remove was never called"
    forward = [e for e in events if e.get("event") == "forward_calls"]
    total_steps = forward[-1]["optimizer_steps"] if forward else pruning[-1]["optimizer_steps"]
    if TRAINS_WITH_OPTIMIZER:
        assert pruning[0]["optimizer_steps"] > 0 or total_steps == 0, (
            "the model was pruned before training (no optimizer step ran before the first prune call)"
        )
    counts = forward[-1]["counts"] if forward else {}
    assert any(v > 0 for k, v in counts.items() if k.startswith("prune:")), (
        "the pruned model was never evaluated after pruning"
    )
    extra = [line for line in extra_output_lines(run.stdout) if re.search(r"\d", line)]
    assert extra, "no result was printed after pruning"


# inline: drop-start
# The kept test's check (`apply --write --emit-test`): testgen copies the kept_ functions into
# that test, with verify/kept.py; the V5 test above does not carry them.
from mlops_adapt.verify.kept import ADDED_OUTPUT, finite_numbers


def kept_side_effect(run):
    """the pruning report and the evaluation after pruning are printed, with a sparsity above 0."""
    lines = run.stdout.splitlines()
    missing = [label for label in ADDED_OUTPUT if not any(label in line for line in lines)]
    assert not missing, f"the output lacks what pruning prints: {missing}"
    sparsity = [line for line in lines if "sparsity" in line.lower() and "%" in line]
    for line in sparsity:
        assert any(0 < n <= 100 for n in finite_numbers(line.split("sparsity", 1)[-1])), line
# inline: drop-end
