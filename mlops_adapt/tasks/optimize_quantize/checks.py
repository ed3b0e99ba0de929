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
