"""V2/V4 rules for optimize-quantize: dynamic int8 quantization of Linear layers after training, evaluation repeated."""

from __future__ import annotations

from mlops_adapt.analysis.exprs import code
from mlops_adapt.tasks.optimize_prune.rules import (
    evaluated_after,
    find_call,
    is_report_statement,
    model_names,
    trained_before,
)
from mlops_adapt.tasks.optimize_quantize import SPEC
from mlops_adapt.verify.rules.base import TaskRules


class OptimizeQuantizeRules(TaskRules):
    TASK = SPEC.id
    SCOPE = "additive"
    HELPER_NAMES = frozenset({"io"})

    def allowed_addition(self, added_stmt: str) -> bool:
        return is_report_statement(added_stmt) or added_stmt.startswith("def ")

    def postconditions(self, original, candidate, facts, options):
        if "torch" not in facts.imports:
            return ["the script has no torch model to quantize"]
        found = find_call(candidate, {"quantize_dynamic"})
        if found is None:
            return ["no dynamic quantization (torch.ao.quantization.quantize_dynamic) was added"]
        site, call = found
        problems: list[str] = []
        args = [code(a.value) for a in call.args]
        if len(args) < 2 or "Linear" not in args[1]:
            problems.append("quantize_dynamic does not target the Linear layers ({nn.Linear})")
        if "qint8" not in code(call):
            problems.append("quantize_dynamic does not use dtype=torch.qint8")
        if not trained_before(site):
            problems.append("the model is quantized before it is trained")
        elif facts.metrics and not evaluated_after(site, model_names(facts, candidate, call), original, candidate):
            problems.append("the evaluation is not repeated on the quantized model")
        return problems
