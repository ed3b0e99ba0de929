"""V2/V4 rules for hpo-optuna: an objective suggests the hyperparameters, a study optimises the right direction."""

from __future__ import annotations

import ast
import re

import libcst as cst

from mlops_adapt.analysis.exprs import (
    call_name,
    calls_in,
    code,
    functions,
    is_literal,
    last_name,
    string_value,
)
from mlops_adapt.analysis.hpo import NOT_TUNABLE, argparse_options
from mlops_adapt.tasks.hpo_optuna import SPEC
from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.scope import _normal
from mlops_adapt.vocabulary import NOT_HYPERPARAM_NAME, PATHLIKE_VALUE, direction_of

_SUGGEST = re.compile(r"^suggest_(float|int|categorical|uniform|loguniform|discrete_uniform)$")


class _Unsuggest(cst.CSTTransformer):
    """Undo the edits the task may make: `trial.suggest_x(...) if trial is not None else D` -> D, nested=True."""

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        body = updated_node.body
        if isinstance(body, cst.List) and len(body.elements) == 1:
            body = body.elements[0].value  # a sweep loop: `[trial.suggest_categorical(...)] if ... else values`
        if isinstance(body, cst.Call) and _SUGGEST.match(last_name(body) or ""):
            return updated_node.orelse
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if last_name(updated_node) == "start_run":
            args = [a for a in updated_node.args if not (a.keyword is not None and a.keyword.value == "nested")]
            if args and len(args) != len(updated_node.args):
                args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return updated_node.with_changes(args=args)
        return updated_node


class _MaskTunedKeywords(cst.CSTTransformer):
    """Keyword values that are literals (original) or trial suggestions (candidate) become a placeholder."""

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        value = updated_node.value
        suggested = any(_SUGGEST.match(last_name(c) or "") for c in calls_in(value, lambdas=True))
        if updated_node.keyword is not None and (is_literal(value) or suggested):
            return updated_node.with_changes(value=cst.Name("__tuned__"))
        return updated_node


def masked(statement: str) -> str:
    """The statement with tunable keyword values masked (see _MaskTunedKeywords)."""
    text = statement if not statement.endswith(":") else statement + " pass"
    try:
        return _normal(cst.parse_module(text).visit(_MaskTunedKeywords()).code.strip())
    except cst.ParserSyntaxError:
        return statement


def undo_tuning_edits(statement: str) -> str:
    """The statement as it was before suggestions and run nesting were added."""
    text = statement if not statement.endswith(":") else statement + " pass"
    try:
        node = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return statement
    undone = node.visit(_Unsuggest()).code.strip()
    return _normal(undone[: -len(" pass")] if statement.endswith(":") and undone.endswith(" pass") else undone)


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _returned_metric(func: cst.FunctionDef) -> str | None:
    """The name the objective returns: a variable, a user attribute key, or a call's name."""
    found: list[str] = []

    class _Returns(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            value = node.value
            if isinstance(value, cst.Subscript) and value.slice:
                key = value.slice[0].slice
                if isinstance(key, cst.Index) and string_value(key.value):
                    found.append(string_value(key.value) or "")
                    return
            if isinstance(value, cst.Call) and last_name(value) == "get" and value.args:
                key = string_value(value.args[0].value)
                if key:
                    found.append(key)
                    return
            if isinstance(value, cst.Name):
                found.append(value.value)
            elif value is not None:
                found.append(code(value))

    func.visit(_Returns())
    return found[-1] if found else None


class HpoOptunaRules(TaskRules):
    TASK = SPEC.id
    SCOPE = "restructure"
    HELPER_NAMES = frozenset({"os", "dataclasses"})

    def allowed_capability(self, use) -> bool:
        # The recipe's study reads its trial budget from this one variable (the sandbox caps it).
        return use.kind == "environment" and use.text.startswith("os.environ.get('MLOPS_ADAPT_N_TRIALS'")

    def allowed_change(self, original_stmt: str, candidate_stmts: list[str]) -> bool:
        if any(("suggest_" in c or "nested" in c) and undo_tuning_edits(c) == original_stmt for c in candidate_stmts):
            return True
        # An LLM may pass the suggestion straight into the call: `train(X, lr=trial.suggest_float(...))`.
        target = masked(original_stmt)
        return target != original_stmt and any("suggest_" in c and masked(c) == target for c in candidate_stmts)

    def postconditions(self, original, candidate, facts, options):
        problems: list[str] = []
        calls = calls_in(candidate, lambdas=True)
        defs = functions(candidate)
        studies = [c for c in calls if last_name(c) == "create_study"]
        optimizes = [c for c in calls if last_name(c) == "optimize" and c.args]
        if not studies:
            return ["no Optuna study is created (optuna.create_study)"]
        if not optimizes:
            return ["the study is never optimised (study.optimize(objective, n_trials=...))"]
        objective_name = code(optimizes[0].args[0].value)
        objective = defs.get(objective_name)
        if objective is None or not objective.params.params:
            problems.append(f"`{objective_name}` passed to study.optimize is not a function taking a trial")
        if _keyword(optimizes[0], "n_trials") is None and _keyword(optimizes[0], "timeout") is None:
            problems.append("study.optimize has neither n_trials nor timeout, so it never stops")

        unknown = sorted({
            last_name(c) or "" for c in calls
            if (last_name(c) or "").startswith("suggest_") and not _SUGGEST.match(last_name(c) or "")
        })
        for name in unknown:
            problems.append(f"`trial.{name}` does not exist in Optuna (suggest_float, suggest_int, suggest_categorical)")
        suggested = {
            string_value(c.args[0].value) or code(c.args[0].value)
            for c in calls
            if _SUGGEST.match(last_name(c) or "") and c.args
        }
        options = argparse_options(original)
        wanted = {
            h.name for h in facts.hyperparams
            if not NOT_TUNABLE.search(h.name) and not NOT_HYPERPARAM_NAME.search(h.name)
            and (h.value is None or _tunable_literal(h.value))
            and (h.kind != "argparse" or _tunable_default(options.get(h.name)))
        }
        covered = {w for w in wanted if w in suggested or any(s.endswith("_" + w) for s in suggested)}
        if not suggested:
            problems.append("the trial suggests no hyperparameter (trial.suggest_*)")
        elif wanted and len(covered) * 2 < len(wanted):
            missing = sorted(wanted - covered)
            problems.append(
                f"only {len(covered)} of {len(wanted)} hyperparameters are suggested by the trial; missing {missing}"
            )

        direction = _keyword(studies[0], "direction")
        returned = _returned_metric(objective) if objective is not None else None
        if returned is None:
            problems.append("the objective returns no metric")
        elif direction is None or string_value(direction) not in ("maximize", "minimize"):
            problems.append('create_study has no direction="maximize" or "minimize"')
        else:
            expected = direction_of(returned)
            if expected and string_value(direction) != expected:
                problems.append(f"the objective returns {returned!r}, so the study should {expected}, "
                                f"not {string_value(direction)}")

        printed = " ".join(code(c) for c in calls if (call_name(c) or "").endswith(("print", "info")))
        if "best_params" not in printed and "best_trial" not in printed:
            problems.append("the best parameters are never printed")
        if not _reruns_after_study(candidate, objective_name):
            problems.append("the script's own run is not reachable after the study (e.g. a final run with the best params)")
        if "mlflow" in facts.imports:
            starts = [c for c in calls if last_name(c) == "start_run"]
            if starts and not any(_keyword(c, "nested") is not None for c in starts):
                problems.append("the script tracks with MLflow, but the trials are not nested runs (nested=True)")
        return problems

    def test_constants(self, original: str, candidate: str, facts: dict) -> dict:
        """The study direction the objective's metric asks for, and the hyperparameters worth tuning."""
        metrics = facts["metrics"]
        # Seeds, split sizes and fold settings are hyperparameters to log, not ones to tune.
        tunable = [
            hp["name"] for hp in facts["hyperparams"] + facts["ctor_hyperparams"]
            if not NOT_TUNABLE.search(hp["name"].rsplit(".", 1)[-1].lower())
        ]
        return {"DIRECTION": expected_direction(candidate, metrics), "TUNABLE_NAMES": tunable}


def _tunable_default(option) -> bool:
    """An argparse option with a number or a plain string default (not a flag, path or None)."""
    if option is None or option.default is None or isinstance(option.default, bool):
        return False
    return not (isinstance(option.default, str) and PATHLIKE_VALUE.search(option.default))


def _tunable_literal(text: str) -> bool:
    return not re.fullmatch(r"(True|False|None|\(.*\)|\[.*\])", text.strip())


def _reruns_after_study(module: cst.Module, objective_name: str) -> bool:
    """True when, after study.optimize, the same block calls the script's run (or the best trial) again."""
    found: list[bool] = []

    class _Blocks(cst.CSTVisitor):
        def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
            self._check(list(node.body))

        def visit_Module(self, node: cst.Module) -> None:
            self._check(list(node.body))

        def _check(self, body: list) -> None:
            seen = False
            for stmt in body:
                text = cst.Module(body=[stmt]).code
                if re.search(r"\.optimize\(", text):
                    seen = True
                    continue
                first_line = text.strip().split("\n")[0]
                if seen and "print(" not in first_line and (
                    "FixedTrial" in text or re.search(r"^\s*\w[\w.]*\(.*\)\s*$", text, re.MULTILINE)
                ):
                    found.append(True)

    module.visit(_Blocks())
    return bool(found)


def expected_direction(candidate: str, metric_names: list[str]) -> str | None:
    """'maximize'/'minimize' from the name the objective returns, else from the metrics, else None."""
    names: list[str] = []
    try:
        tree = ast.parse(candidate)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.args.args:
                if node.args.args[0].arg != "trial":
                    continue
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Return) and sub.value is not None:
                        names.append(ast.unparse(sub.value))
    except SyntaxError:
        pass
    for group in (names, metric_names):
        kinds = {direction_of(n) for n in group} - {None}
        if len(kinds) == 1:
            return kinds.pop()
        if kinds:
            return None
    return None
