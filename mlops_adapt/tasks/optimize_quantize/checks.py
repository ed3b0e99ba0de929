"""V5 checks of `optimize-quantize`, inlined into the generated test: `quantize_dynamic` produced
quantized Linear layers, the quantized model was evaluated and a result was printed.
"""

from __future__ import annotations

import re

# inline: drop-start
from mlops_adapt.verify.testkit import (
    extra_output_lines,
)

# inline: drop-end


def test_model_was_quantized_and_evaluated(run):
    assert run.returncode == 0, f"the script failed: {run.error_summary()}"
    events = [e for e in run.observations if e.get("event") == "quantize_dynamic"]
    assert events, "torch.ao.quantization.quantize_dynamic was never called"
    layers = [m for e in events for m in e["quantized_modules"] if m.endswith("Linear")]
    assert layers, "quantize_dynamic quantized no Linear layer"
    forward = [e for e in run.observations if e.get("event") == "forward_calls"]
    counts = forward[-1]["counts"] if forward else {}
    assert any(v > 0 for k, v in counts.items() if k.startswith("quantized:")), (
        "the quantized model was never evaluated"
    )
    extra = [line for line in extra_output_lines(run.stdout) if re.search(r"\d", line)]
    assert extra, "no result was printed after quantization"


# inline: drop-start
# The kept test's check (`apply --write --emit-test`): testgen copies the kept_ functions into
# that test, with verify/kept.py; the V5 test above does not carry them.
from mlops_adapt.verify.kept import ADDED_OUTPUT


def kept_side_effect(run):
    """the evaluation after quantization is printed, and the int8 model is smaller than the float one."""
    import re

    lines = run.stdout.splitlines()
    missing = [label for label in ADDED_OUTPUT if not any(label in line for line in lines)]
    assert not missing, f"the output lacks what quantization prints: {missing}"
    for line in lines:
        sizes = re.search(r"([\d.]+) MB float(?:32|64) -> ([\d.]+) MB int8", line)
        if sizes:
            assert float(sizes[2]) < float(sizes[1]), f"the quantized model is not smaller: {line}"
# inline: drop-end
