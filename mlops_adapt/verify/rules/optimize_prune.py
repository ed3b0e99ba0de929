"""V2/V4 rules for optimize-prune: Linear/Conv weights pruned after training, made permanent, evaluation repeated."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import call_name, code, last_name
from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.scope import _normal

# An added statement that repeats an evaluation or reports a result must not train, write files or track.
_NOT_A_REPORT = re.compile(
    r"(\.backward\(|\.step\(|\.zero_grad\(|\.fit\(|\bsave\w*\(|\.dump\(|\.write\w*\(|\bopen\(|\bremove\(|"
    r"\bunlink\(|rmtree\(|\bsystem\(|\bsubprocess\b|\bmlflow\b|\bwandb\b|(?<!\.)\bexec\(|(?<!\.)\beval\(|\bdel\b)"
)


def is_report_statement(stmt: str) -> bool:
    """Repeating an evaluation or printing a result: allowed additions for the optimization tasks."""
    return not _NOT_A_REPORT.search(stmt.replace("prune.remove(", "").replace("torch.save(", ""))


class Stmt:
    """A statement of a block, its text, and the calls in it."""

    def __init__(self, node: cst.CSTNode) -> None:
        self.node = node
        self.text = cst.Module(body=[node]).code if isinstance(node, cst.BaseStatement) else ""
        found: list[cst.Call] = []

        class _Calls(cst.CSTVisitor):
            def visit_Call(self, call: cst.Call) -> None:
                found.append(call)

        node.visit(_Calls())
        self.calls = found
        # Calls made by the statement itself (compound statements run theirs in their own blocks).
        self.own_calls = found if isinstance(node, cst.SimpleStatementLine) else []


def statement_lists(module: cst.Module):
    """Every statement list (module, function and compound bodies), as lists of Stmt."""
    out = [[Stmt(s) for s in module.body]]

    class _Blocks(cst.CSTVisitor):
        def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
            out.append([Stmt(s) for s in node.body])

    module.visit(_Blocks())
    return out


def repeated_after(block: list[Stmt], index: int, original_prints: set[str], suffix: str) -> bool:
    """True when a statement after `index` repeats one of the original statements (names may carry `suffix`)."""
    for stmt in block[index + 1 :]:
        text = _normal(re.sub(rf"(\w+){re.escape(suffix)}\b", r"\1", stmt.text))
        if text in original_prints and ("(" in text):
            return True
        for inner in statement_lists(cst.parse_module(stmt.text))[1:]:
            for s in inner:
                if _normal(re.sub(rf"(\w+){re.escape(suffix)}\b", r"\1", s.text)) in original_prints:
                    return True
    return False


def original_statements(module: cst.Module) -> set[str]:
    from mlops_adapt.verify.scope import statement_prints

    return set(statement_prints(module))


def trained_before(block: list[Stmt], index: int) -> bool:
    """True when training happened earlier in this block, or the block belongs to code run after training."""
    for stmt in block[:index]:
        if any(last_name(c) in ("backward", "fit", "step") for c in stmt.calls) or re.search(r"\btrain\w*\(", stmt.text):
            return True
    return False


class OptimizePruneRules(TaskRules):
    TASK = "optimize-prune"
    SCOPE = "additive"

    def allowed_addition(self, added_stmt: str) -> bool:
        return is_report_statement(added_stmt)

    def postconditions(self, original, candidate, facts, options):
        problems: list[str] = []
        if not any(m.framework == "torch" for m in facts.models) and "torch" not in facts.imports:
            return ["the script has no torch model to prune"]
        found_prune = None
        for block in statement_lists(candidate):
            for index, stmt in enumerate(block):
                for call in stmt.own_calls:
                    if last_name(call) in ("global_unstructured", "l1_unstructured", "ln_structured"):
                        found_prune = (block, index, call)
                        break
                if found_prune and found_prune[0] is block:
                    break
            if found_prune:
                break
        if found_prune is None:
            return ["no pruning call (prune.global_unstructured or prune.l1_unstructured) was added"]
        block, index, call = found_prune
        amount = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "amount"), None)
        try:
            value = float(code(amount)) if amount is not None else 0.0
        except ValueError:
            value = 1.0  # an expression: cannot be read statically, assume positive
        if not value > 0:
            problems.append("the pruning amount is not greater than 0")
        if "Linear" not in code(candidate) and "Conv" not in code(candidate):
            problems.append("the pruned parameters are not the Linear/Conv weights")
        rest = "".join(s.text for s in block[index:])
        if "prune.remove(" not in rest and ".remove(" not in rest:
            problems.append("the pruning is not made permanent with prune.remove")
        if not trained_before(block, index) and not _in_function_after_training(candidate, block):
            problems.append("the model is pruned before it is trained")
        if facts.metrics and not repeated_after(block, index, original_statements(original), "_pruned"):
            problems.append("the evaluation is not repeated after pruning")
        return problems


def _in_function_after_training(module: cst.Module, block: list[Stmt]) -> bool:
    """Pruning inside a function that trains earlier (a trainer call) or a module block after the loop."""
    text = "".join(s.text for s in block)
    return bool(re.search(r"\.backward\(|\.fit\(|\btrain\w*\(", text))
