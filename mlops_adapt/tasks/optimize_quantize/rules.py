"""V2/V4 rules for optimize-quantize: dynamic int8 quantization of Linear layers after training, evaluation repeated."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import code, nodes_of
from mlops_adapt.tasks.optimize_prune.rules import (
    caller_sites,
    class_changes_beyond_own_copy,
    evaluated_after_any,
    find_call,
    gives_a_copy_its_own_class,
    is_copy_save,
    is_report_statement,
    method_patches,
    model_names,
    optimization_problems,
    trained_before,
    with_aliases,
)
from mlops_adapt.tasks.optimize_quantize import SPEC
from mlops_adapt.transforms.torch_common import float64_model
from mlops_adapt.verify.rules.base import TaskRules


class OptimizeQuantizeRules(TaskRules):
    TASK = SPEC.id
    SCOPE = "additive"
    HELPER_NAMES = frozenset({"io", "os"})

    def allowed_addition(self, added_stmt: str) -> bool:
        return is_report_statement(added_stmt) or added_stmt.startswith("def ") or is_copy_save(added_stmt)

    def allowed_capability(self, use) -> bool:
        return gives_a_copy_its_own_class(use)

    def postconditions(self, original, candidate, facts, options):
        if "torch" not in facts.imports:
            return ["the script has no torch model to quantize"]
        foreign = class_changes_beyond_own_copy(original, candidate) + method_patches(original, candidate)
        if foreign:
            return foreign
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
        if not trained_before(site, candidate):
            problems.append("the model is quantized before it is trained")
        elif facts.metrics and not evaluated_after_any(
            caller_sites(candidate, site), with_aliases(candidate, _quantized_models(candidate, call) or model_names(facts, candidate, call)),
            original, candidate,
        ):
            problems.append("the evaluation is not repeated on the quantized model")
        # A float64 model is quantized through a float32 copy (`copy.deepcopy(model).float()`).
        float32_copy = bool(args) and re.search(r"\.float\(\)|torch\.float32\b", args[0]) is not None
        for model in sorted({m.var for m in facts.models if m.framework == "torch"}):
            float64 = float64_model(original, model)
            if float64 and not float32_copy:
                problems.append(
                    f"the model is float64 (`{float64}`): quantize_dynamic converts float32 Linear layers only, "
                    "so a float32 copy must be quantized"
                )
        problems += _weights_read_after(site, model_names(facts, candidate, call))
        return problems + optimization_problems(original, candidate, site, "quantized")


def _quantized_models(candidate: cst.Module, call: cst.Call) -> set[str]:
    """The names holding the quantized model: quantize_dynamic returns a new model (the float one
    is unchanged, so evaluating it again is no evaluation of the quantized one), unless inplace=True."""
    names = {
        code(target.target) for node in nodes_of(candidate, cst.Assign) if node.value is call
        for target in node.targets if isinstance(target.target, (cst.Name, cst.Attribute))
    }
    inplace = any(a.keyword is not None and a.keyword.value == "inplace" and code(a.value) == "True" for a in call.args)
    if inplace and call.args:
        names.add(code(call.args[0].value))
    return names


def _weights_read_after(site, models: set[str]) -> list[str]:
    """A quantized Linear's `weight`/`bias` are methods: reading them as tensors on the quantized
    model (or on the name it was swapped into) fails, e.g. after wrapping `fc` in a Sequential."""
    found = []
    for stmt in site.after():
        text = code(stmt)
        if re.match(r"\s*(\w+(\.\w+)*)\s*=\s*\w+\s*$", text) and text.split("=")[1].strip() not in models:
            break  # the float model is put back: later reads are the original's
        hit = re.search(r"(?<![\w.])(" + "|".join(re.escape(m) for m in models) + r")(\.\w+)*\.(weight|bias)\b(?!\()", text)
        if hit and isinstance(stmt, cst.SimpleStatementLine):
            found.append(f"`{hit.group(0)}` is read on the quantized model, whose Linear weight and bias are methods")
            break
    return found
