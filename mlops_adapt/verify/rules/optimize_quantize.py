"""V2/V4 rules for optimize-quantize: dynamic int8 quantization of Linear layers after training, evaluation repeated."""

from __future__ import annotations

from mlops_adapt.analysis.exprs import code, last_name
from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.rules.optimize_prune import (
    is_report_statement, original_statements, repeated_after, statement_lists, trained_before,
)


class OptimizeQuantizeRules(TaskRules):
    TASK = "optimize-quantize"
    SCOPE = "additive"
    HELPER_NAMES = frozenset({"io"})

    def allowed_addition(self, added_stmt: str) -> bool:
        return is_report_statement(added_stmt) or added_stmt.startswith("def ")

    def postconditions(self, original, candidate, facts, options):
        if "torch" not in facts.imports:
            return ["the script has no torch model to quantize"]
        for block in statement_lists(candidate):
            for index, stmt in enumerate(block):
                calls = [c for c in stmt.own_calls if last_name(c) == "quantize_dynamic"]
                if not calls:
                    continue
                call = calls[0]
                problems: list[str] = []
                args = [code(a.value) for a in call.args]
                if len(args) < 2 or "Linear" not in args[1]:
                    problems.append("quantize_dynamic does not target the Linear layers ({nn.Linear})")
                if "qint8" not in code(call):
                    problems.append("quantize_dynamic does not use dtype=torch.qint8")
                if not trained_before(block, index):
                    problems.append("the model is quantized before it is trained")
                if facts.metrics and not repeated_after(block, index, original_statements(original), "_int8"):
                    problems.append("the evaluation is not repeated on the quantized model")
                rest = "".join(s.text for s in block[index:])
                if "MB" not in rest and "size" not in rest.lower():
                    problems.append("the model size before and after quantization is not reported")
                return problems
        return ["no dynamic quantization (torch.ao.quantization.quantize_dynamic) was added"]
