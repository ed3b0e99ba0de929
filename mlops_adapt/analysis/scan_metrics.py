"""The Scanner's metric half: records where results are computed or printed, to log or optimise them."""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt import vocabulary as vocab
from mlops_adapt.analysis.array_values import ArrayValues
from mlops_adapt.analysis.exprs import (
    all_statements,
    assigned_names,
    block_body,
    call_name,
    calls_in,
    code,
    is_literal,
    last_name,
    names_in,
    nodes_of,
    string_value,
)
from mlops_adapt.analysis.metric_sites import (
    NON_SCALAR_METHODS,
    PRINT_LIKE,
    PURE_CALLS,
    computed_metric_dict,
    holds_many,
    is_index_value,
    metric_key,
    print_values,
    ranking_cutoff_key,
    scalar_evidence,
)
from mlops_adapt.analysis.sites import Ctx, MetricSite, Scan


class MetricRecorder:
    """Metric sites of a Scanner (mixed into it; reads its pre-pass tables)."""

    # Filled by Scanner: its result, and the tables its pre-pass (_collect) builds.
    scan: Scan
    functions: dict[str, cst.FunctionDef]
    dict_returns: dict[str, list[tuple[str, cst.BaseExpression]]]
    scalar_returns: set[str]
    tuple_returns: dict[str, list[bool]]
    float_printed: set[str]
    shown_names: set[str]
    metric_vars: set[str]
    cv_vars: set[str]
    module_const_names: set[str]
    call_counts: dict[str, int]
    bare_calls: dict[str, int]
    array_values: ArrayValues
    empty_dicts: set[str]
    called_names: set[str]

    def _binds_function(self, name: str, value: cst.BaseExpression) -> bool:
        """True when `name = value` binds a function (`loss_func = F.cross_entropy`), not a number."""
        if name in self.called_names:
            return True  # the script calls it later: `loss = loss_func(pred, yb)`
        return isinstance(value, cst.Name) and (value.value in self.functions or value.value in self.called_names)

    def _is_metric_value(self, name: str, value: cst.BaseExpression, callee: str | None) -> bool:
        if self._binds_function(name, value):
            return False  # a tracker takes numbers; logging a function fails when the script runs
        if callee and callee[:1].isupper():
            return False  # a constructor (nn.MSELoss()) builds an object, not a result
        if self.array_values.elementwise(value):
            return False  # a Series or an array: a tracker takes one number per metric
        if is_index_value(value):
            return False  # `best = int(np.argmax(scores))` is a position; the script reports what it points to
        if callee in vocab.METRIC_FUNCTIONS or callee == "score":
            return True
        if any(last_name(c) in vocab.METRIC_FUNCTIONS for c in calls_in(value)) and scalar_evidence(value):
            return True
        if callee in self.scalar_returns and (vocab.is_metric_name(name) or callee in ("evaluate", "validate", "test")):
            return True
        if not vocab.is_metric_name(name) or name.endswith("s") and not name.endswith("loss"):
            return False
        if callee in NON_SCALAR_METHODS:
            return False
        if name in self.float_printed:
            return True
        if scalar_evidence(value):
            return True
        if callee and ("loss" in callee.lower() or "criterion" in callee.lower()) and "loss" in name:
            return True
        return False

    def _returned_by_own_function(self, ctx: Ctx, name: str) -> bool:
        """True when the enclosing function returns this variable (so the caller logs it)."""
        if ctx.function is None:
            return False
        if name not in self._function_summary(ctx.function)[0]:
            return False
        # main(cfg) called as a bare statement throws the result away: log it in the function.
        callee = ctx.function.name.value
        return self.bare_calls.get(callee, 0) < self.call_counts.get(callee, 0)

    def _printed(self, stmt, call: cst.Call, ctx: Ctx, line: int) -> None:
        name = call_name(call) or ""
        if not PRINT_LIKE.match(name):
            return
        if any(loop.kind == "batch" for loop in ctx.loops):
            return
        loop_targets = {t for loop in ctx.loops if loop.kind in ("models", "sweep", "other") for t in loop.targets}
        last_key, cutoff_key = "", ""
        for label, expr, float_spec in print_values(call):
            text = code(expr)
            named = metric_key(label, expr)
            if cutoff_key and float_spec and not re.search(r"[A-Za-z]", label):
                # "recall@{k}: {r:.3f}": the value is the recall at that cutoff
                named = label = cutoff_key
            if not named and float_spec and last_key and (label.strip() in ("(", "[") or not re.search(r"[A-Za-z]", label)):
                # "Accuracy: {}/{} ({:.0f}%)": the percentage carries the label of the count before it;
                # "Accuracy for fold {fold}: {acc:.2f}": the label before the fold number is the value's
                label = last_key
            cutoff_key = ranking_cutoff_key(label, expr)
            if named and vocab.is_metric_name(named):
                last_key = named
            if is_literal(expr) or text in loop_targets or any(text == (l.step_var or "") for l in ctx.loops):
                continue
            if isinstance(expr, cst.Name) and (expr.value in self.metric_vars or expr.value in self.module_const_names):
                continue
            if isinstance(expr, cst.Name) and expr.value in loop_targets:
                continue
            if names_in(expr) & self.cv_vars:
                continue
            if names_in(expr) & self.metric_vars and not isinstance(expr, cst.Call):
                continue
            key = metric_key(label, expr)
            if key and float_spec and not vocab.is_metric_name(key) and isinstance(expr, cst.BinaryOperation):
                # "Average: {total_acc / n:.2f}": the label says how, the summed name says what
                summed = expr.left.value if isinstance(expr.left, cst.Name) else ""
                key = vocab.slug(f"{key}_{summed}") if vocab.is_metric_name(summed) else key
            if not key or not self._printed_is_metric(expr, key, float_spec):
                continue
            if any((call_name(c) or "") in self.functions for c in calls_in(expr)):
                # Re-running evaluate(model, loader) to log it could change what the script does
                # next (a shuffling loader draws random numbers): log where the function returns.
                if isinstance(expr, cst.Call):
                    self._metric_at_return(call_name(expr) or "", key)
                continue
            if isinstance(expr, cst.Call) and call_name(expr) == "round" and expr.args:
                text = code(expr.args[0].value)  # log the full-precision value the script rounds for display
            self._metric(stmt, "before", key, text, "printed", ctx, line)

    def _filled_history(self, stmt, ctx: Ctx, line: int) -> None:
        """`xgb.train(..., evals_result=history)` or `lgb.train(..., callbacks=[record_evaluation(history)])`:
        the training call fills `history` (bound to {} before) with per-round scores."""
        if ctx.loops:
            return  # one curve per fold or model would overwrite the same keys and steps
        calls = calls_in(stmt)
        if not any(last_name(c) in ("train", "fit") for c in calls):
            return
        for call in calls:
            filled = [a.value for a in call.args if a.keyword and a.keyword.value == "evals_result"]
            if last_name(call) == "record_evaluation" and call.args and call.args[0].keyword is None:
                filled.append(call.args[0].value)
            for value in filled:
                if isinstance(value, cst.Name) and value.value in self.empty_dicts:
                    self.scan.histories.append(MetricSite(stmt, "after", value.value, value.value, "dict", None, line, ctx))

    def _metric_at_return(self, function: str, key: str) -> None:
        """Log a function's result just before its single top-level `return` of a pure expression."""
        func = self.functions.get(function)
        if func is None or len(nodes_of(func, cst.Return)) != 1:
            return
        for stmt in block_body(func.body):
            if isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Return):
                value = stmt.body[0].value
                if value is None or not all(last_name(c) in PURE_CALLS for c in calls_in(value)):
                    return
                if any(m.anchor is stmt for m in self.scan.metrics):
                    return
                self._metric(stmt, "before", key, code(value), "printed", Ctx(func, None, ()),
                             self.scan.line_of(stmt))
                return

    def _printed_is_metric(self, expr: cst.BaseExpression, key: str, float_spec: bool) -> bool:
        if "time" in key or "elapsed" in key or "second" in key or "duration" in key:
            return False
        if self.array_values.elementwise(expr):
            return False  # `print(frame.mean())` shows a Series, not one result
        if is_index_value(expr):
            return False  # `np.argmax(scores)` is a position, not a result
        calls = calls_in(expr)
        if any(last_name(c) in NON_SCALAR_METHODS - {"score"} and last_name(c) != "item" for c in calls[:1]):
            return False
        if any(last_name(c) in vocab.METRIC_FUNCTIONS or last_name(c) == "score" for c in calls):
            return isinstance(expr, cst.Call) and (last_name(expr) in vocab.METRIC_FUNCTIONS | {"score", "item", "round", "float"} or float_spec)
        if float_spec and vocab.is_metric_name(key):
            return True
        if isinstance(expr, cst.Call) and last_name(expr) in ("item", "mean", "round", "float") and vocab.is_metric_name(key):
            return True
        if isinstance(expr, cst.Call) and last_name(expr) in self.scalar_returns and vocab.is_metric_name(key):
            return True
        if isinstance(expr, cst.BinaryOperation) and vocab.is_metric_name(key) and scalar_evidence(expr):
            return True  # `100 * correct // total` printed as the accuracy
        return False

    def _metric(self, anchor, where, key, expr, kind, ctx: Ctx, line: int, keys=None) -> None:
        step = None
        for loop in reversed(ctx.loops):
            if loop.kind in ("models", "sweep"):
                break
            if loop.step_var:
                step = loop.step_var
                break
        if step is None and not ctx.loops and ctx.function is not None:
            # `def test(model, loader, epoch)`: called once per epoch, it is told which one.
            params = [p.name.value for p in ctx.function.params.params]
            step = next((p for p in params if p in ("epoch", "epoch_idx", "step", "global_step")), None)
        if kind != "printed" and isinstance(anchor, cst.SimpleStatementLine):
            for small in anchor.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)):
                    self.metric_vars.add(expr.split(".")[0].split("[")[0])
        self.scan.metrics.append(MetricSite(anchor, where, key, expr, kind, step, line, ctx, list(keys or [])))

    def _metric_assignment(self, stmt, value, targets: list, names: list[str], single: str | None, ctx: Ctx,
                           line: int) -> None:
        """Record a metric site for `names = value`, when the value is an evaluation result."""
        if any(loop.kind == "batch" for loop in ctx.loops) or not names:
            return
        if isinstance(value, cst.Call) and last_name(value) in vocab.CV_FUNCTIONS and single:
            self.cv_vars.add(single)
            self.scan.cv_lines.append(line)
            for suffix in ("mean", "std"):
                self._metric(stmt, "after", f"{single}_{suffix}", f"{single}.{suffix}()", "cv", ctx, line)
            return
        callee = last_name(value) if isinstance(value, cst.Call) else None
        if single and callee in self.dict_returns and self._returned_by_own_function(ctx, single) is False:
            entries = self.dict_returns[callee]
            keys = [k for k, _ in entries]
            # {"loss_history": [...]} holds lists: a tracker takes one number per metric.
            if all((scalar_evidence(v) or vocab.is_metric_name(k)) and not holds_many(v) for k, v in entries):
                self._metric(stmt, "after", single, single, "dict", ctx, line, keys=keys)
            else:
                for key, v in entries:
                    if scalar_evidence(v) and not holds_many(v):
                        self._metric(stmt, "after", key, f'{single}["{key}"]', "dict", ctx, line)
            self.metric_vars.add(single)
            return
        if callee in self.tuple_returns and isinstance(targets[0], cst.Tuple):
            flags = self.tuple_returns[callee]
            # `test_mse, test_rmse = evaluate(...)` with only the RMSE shown: the script reports
            # that one; the other is an intermediate, and logging it names a result it never gives.
            shown = {n for n in names if n in self.shown_names}
            for name, scalar in zip(names, flags):
                if shown and name not in shown:
                    continue
                if scalar and vocab.is_metric_name(name) and not self._returned_by_own_function(ctx, name):
                    self._metric(stmt, "after", name, name, "variable", ctx, line)
            return
        if not single:
            return
        if self._returned_by_own_function(ctx, single):
            self.metric_vars.add(single)  # the caller logs it
            return
        if isinstance(value, cst.Dict) and computed_metric_dict(value):
            keys = [string_value(e.key) for e in value.elements]
            self._metric(stmt, "after", single, single, "dict", ctx, line, keys=keys)
            self.metric_vars.add(single)
            return
        if self._is_metric_value(single, value, callee):
            if code(value).strip() in vocab.RESET_VALUES:
                # `test_loss = 0` starts an accumulator: its result is the value after its last update.
                final = self._final_update(stmt, single)
                if final is not None:
                    self._metric(final, "after", single, single, "variable", ctx, line)
                    self.metric_vars.add(single)
                return
            if isinstance(value, cst.Name) and value.value in self.metric_vars and ctx.loops:
                return  # `best_acc = acc` in a loop copies a logged result; the copy's final value is logged
            self._metric(stmt, "after", single, single, "variable", ctx, line)

    def _final_update(self, reset, name: str):
        """The last statement of the reset's block that updates `name`, unless it leaves it reset."""
        block = self.block_stack[-1] if self.block_stack else []
        ids = [id(s) for s in block]
        if id(reset) not in ids:
            return None
        last, last_value = None, None
        for stmt in block[ids.index(id(reset)) + 1:]:
            value = _last_binding(stmt, name)
            if value is not None:
                last, last_value = stmt, value
        if last is None or last_value in vocab.RESET_VALUES:
            return None
        # `print(f"loss: {train_loss / n:.4f}")` after it: the script reports the average, and the
        # print is logged instead of the raw sum.
        for stmt in block[ids.index(id(last)) + 1:]:
            for call in calls_in(stmt):
                if not PRINT_LIKE.match(call_name(call) or ""):
                    continue
                for _, expr, _ in print_values(call):
                    if not isinstance(expr, cst.Name) and name in names_in(expr):
                        return None
        return last


def _last_binding(stmt, name: str) -> str | None:
    """The text of the last value bound to `name` in a statement ("+=" for updates), or None."""
    found = None
    for node in all_statements([stmt]):
        if not isinstance(node, cst.SimpleStatementLine):
            continue
        for small in node.body:
            if isinstance(small, cst.Assign) and any(name in assigned_names(t.target) for t in small.targets):
                plain = len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
                found = code(small.value).strip() if plain else "?"
            elif isinstance(small, (cst.AugAssign, cst.AnnAssign)) and isinstance(small.target, cst.Name) and small.target.value == name:
                found = "+=" if isinstance(small, cst.AugAssign) else code(small.value or small.target)
    return found
