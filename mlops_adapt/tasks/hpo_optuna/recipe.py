"""Recipe hpo-optuna: run the script's training as an Optuna objective over its own hyperparameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from mlops_adapt.analysis.exprs import (
    after_imports,
    block_body,
    call_name,
    calls_in,
    code,
    fresh_name,
    iter_nodes,
    last_name,
    names_in,
    statement_lists,
    string_value,
)
from mlops_adapt.analysis.hpo import (
    Objective,
    Tunable,
    assignment_value,
    choose_objective,
    collect_tunables,
    extra_metric_sites,
    fits_numerically,
    is_literal_node,
    literal_value,
    printed_metric_calls,
    search_space,
)
from mlops_adapt.analysis.scan import MetricSite, ParamSite, Scan
from mlops_adapt.analysis.sites import Ctx
from mlops_adapt.tasks.hpo_optuna import SPEC
from mlops_adapt.tasks.hpo_optuna.configs import (
    parsed_dataclass_tunables,
    result_record_keys,
    sectioned_config_tunables,
)
from mlops_adapt.tasks.hpo_optuna.objective import (
    independent_of_trial,
    is_test_name,
    is_train_name,
    read,
    suggestions,
    test_split_evidence,
)
from mlops_adapt.tasks.hpo_optuna.relay import ScoredOnTestToo, relay_for, scored_on_validation
from mlops_adapt.tasks.hpo_optuna.side_effects import (
    effect_of,
    find_side_effects,
    helper_checkpoint,
    passed_path_reads,
    path_arguments,
    scratch_anchor,
    scratch_statement,
)
from mlops_adapt.transforms.base import Example, Recipe, SkipFile, Unsupported
from mlops_adapt.vocabulary import direction_of, is_metric_name

TRIAL = "optuna_trial"  # module-level handle on the running trial, read where hyperparameters are set
DEFAULT_N_TRIALS = "20"  # `--option n_trials=N` changes it; the V5 sandbox caps any study at a few trials


class _Names:
    """Fresh names for the generated functions, avoiding the script's own."""

    def __init__(self, module: cst.Module) -> None:
        taken = names_in(module)
        if TRIAL in taken:
            raise SkipFile(f"already adapted: the script defines `{TRIAL}`")
        self.run = fresh_name("run_experiment", taken)
        self.objective = fresh_name("objective", taken)
        self.trial_path = fresh_name("trial_path", taken)


def assigned_in(statements: list[cst.BaseStatement]) -> list[str]:
    """Names the statements bind at their own level (not inside nested functions or classes' bodies)."""
    found: list[str] = []

    def add(name: str) -> None:
        if name not in found:
            found.append(name)

    class _Targets(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            add(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            add(node.name.value)
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ListComp(self, node) -> bool:
            return False

        visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            _bind(node.target)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            _bind(node.target)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            _bind(node.target)

        def visit_For(self, node: cst.For) -> None:
            _bind(node.target)

        def visit_WithItem(self, node: cst.WithItem) -> None:
            if node.asname is not None:
                _bind(node.asname.name)

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            _bind(node.target)

        def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
            if node.name is not None:
                _bind(node.name.name)

        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                _bind(alias.asname.name if alias.asname else cst.Name(code(alias.name).split(".")[0]))

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    _bind(alias.asname.name if alias.asname else alias.name)

    def _bind(target) -> None:
        if isinstance(target, cst.Name):
            add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                _bind(element.value)
        elif isinstance(target, cst.StarredElement):
            _bind(target.value)

    for stmt in statements:
        stmt.visit(_Targets())
    return found


# A list of weights (a VotingClassifier's `weights`, a loss's per-class weights): searched element by element.
_LISTED_WEIGHTS = re.compile(r"(^|_)weights$", re.IGNORECASE)


def listed_weights(scan: Scan, hpo) -> list[Tunable]:
    """`weights = [2, 1, 1]` (a module constant or a local, passed to the model): one suggestion per
    element, named `weights[0]`, `weights[1]`..., each in a range derived from its default."""
    found: list[Tunable] = []
    taken = {t.key for t in hpo.tunables}
    for site in scan.params:
        if site.kind not in ("constant", "local"):
            continue
        for key, _ in site.entries:
            value = literal_value(assignment_value(site.anchor, key)) if _LISTED_WEIGHTS.search(key) else None
            if key in taken or not isinstance(value, list) or len(value) < 2:
                continue
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in value):
                continue
            items = []
            for index, default in enumerate(value):
                name = f"{key}[{index}]"
                items.append(Tunable(name, key, default, search_space(name, default, key="weight"), site, "list-item"))
            if all(t.suggest for t in items):
                found += items
                taken.add(key)
    return found


def _site_var(whole: str | None, prefix: str) -> str | None:
    """'args' from 'vars(args)', 'cfg' from 'dataclasses.asdict(cfg)'."""
    if whole and whole.startswith(prefix) and whole.endswith(")"):
        return whole[len(prefix) : -1]
    return None


def override_lines(tunables: list[Tunable], frozen: dict[str, bool]) -> list[str]:
    """Assignments that replace each default with the trial's suggestion."""
    lines: list[str] = []
    replaced: dict[str, list[str]] = {}
    listed: dict[str, list[str]] = {}
    for t in tunables:
        suggestion = f"{TRIAL}.{t.suggest}"
        if t.kind == "list-item":
            if t.key not in listed:
                listed[t.key] = []
                lines.append(t.key)  # filled in below, once every element is known
            listed[t.key].append(suggestion)
        elif t.kind in ("constant", "local"):
            lines.append(f"{t.key} = {suggestion}")
        elif t.kind == "argparse":
            lines.append(f"{_site_var(t.site.whole, 'vars(')}.{t.key} = {suggestion}")
        elif t.kind == "config-dict":
            lines.append(f'{t.site.owner}["{t.key}"] = {suggestion}')
        elif t.kind == "config-class":
            lines.append(f"{t.site.whole}.{t.key} = {suggestion}")
        elif t.kind == "dataclass":
            var = _site_var(t.site.whole, "dataclasses.asdict(")
            if frozen.get(t.site.owner or ""):
                replaced.setdefault(var or "", []).append(f"{t.key}={suggestion}")
            else:
                lines.append(f"{var}.{t.key} = {suggestion}")
    for var, changes in replaced.items():
        lines.append(f"{var} = dataclasses.replace({var}, {', '.join(changes)})")
    return [f"{line} = [{', '.join(listed[line])}]" if line in listed else line for line in lines]


def guarded(lines: list[str]) -> cst.If:
    """`if optuna_trial is not None:` over one-line statements: they run only inside a trial."""
    return cst.If(
        test=cst.parse_expression(f"{TRIAL} is not None"),
        body=cst.IndentedBlock([cst.parse_statement(line) for line in lines]),
    )


def _with(item: str, body: list[cst.BaseStatement]) -> cst.With:
    """`with ITEM:` over statements."""
    return cst.With(items=[cst.WithItem(cst.parse_expression(item))], body=cst.IndentedBlock(body))


def _commented(statement: cst.BaseStatement, comment: str) -> cst.BaseStatement:
    """The statement with a comment line above it."""
    return statement.with_changes(leading_lines=[cst.EmptyLine(comment=cst.Comment(f"# {comment}"))])


@dataclass
class _Insertions:
    """Statements to put before or after statements of the script, keyed by their identity."""

    before: dict[int, list[cst.BaseStatement]] = field(default_factory=dict)
    after: dict[int, list[cst.BaseStatement]] = field(default_factory=dict)

    def add(self, anchor: cst.CSTNode, where: str, statement: cst.BaseStatement) -> None:
        """`where`: "after" the anchor, or before it (any other value, as ParamSite.where has it)."""
        (self.after if where == "after" else self.before).setdefault(id(anchor), []).append(statement)


class _HpoRewriter(cst.CSTTransformer):
    """Inserts the overrides, swaps constructor literals for suggestions, and moves the run into a function."""

    def __init__(self, plan: _Insertions, recipe: AddOptunaSearch) -> None:
        super().__init__()
        self.plan = plan
        self.r = recipe
        self.guards: set[int] = set()  # the `if` statements made to skip side effects in trials

    def _expand(self, original_body, updated_body) -> list:
        """The statement list with the planned statements before/after original statements."""
        out: list = []
        for orig, new in zip(original_body, updated_body):
            before = list(self.plan.before.get(id(orig), []))
            if before and getattr(new, "leading_lines", ()):
                # The statement's comment stays on top of the block that now precedes it.
                before[0] = before[0].with_changes(leading_lines=new.leading_lines)
                new = new.with_changes(leading_lines=())
            out.extend(before)
            out.append(new)
            out.extend(self.plan.after.get(id(orig), []))
        return self._merged(out)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock):
        return updated_node.with_changes(body=self._expand(original_node.body, updated_node.body))

    def leave_SimpleStatementLine(self, original_node, updated_node):
        return self._outside_trials(original_node, updated_node)

    def leave_With(self, original_node, updated_node):
        return self._outside_trials(original_node, updated_node)

    def _outside_trials(self, original_node, updated_node):
        """A statement that acts on the world (a file write, a commit, an upload) runs only outside trials."""
        if id(original_node) not in self.r.side_effects:
            return updated_node
        comment = cst.EmptyLine(comment=cst.Comment(
            "# Not in every trial: the script's own run and the final run with the best values do this."
        ))
        guard = cst.If(
            test=cst.parse_expression(f"{TRIAL} is None or isinstance({TRIAL}, optuna.trial.FixedTrial)"),
            body=cst.IndentedBlock([updated_node.with_changes(leading_lines=())]),
            leading_lines=[*updated_node.leading_lines, comment],
        )
        self.guards.add(id(guard))
        return guard

    def _merged(self, body: list) -> list:
        """Neighbouring statements skipped in trials share one guard (unless a comment or blank line parts them)."""
        out: list = []
        for stmt in body:
            previous = out[-1] if out else None
            if (
                previous is not None and id(previous) in self.guards and id(stmt) in self.guards
                and len(stmt.leading_lines) == 1
            ):
                merged = previous.with_changes(body=previous.body.with_changes(body=[*previous.body.body, *stmt.body.body]))
                self.guards.add(id(merged))
                out[-1] = merged
            else:
                out.append(stmt)
        return out

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        if id(original_node) in self.r.path_args:
            return updated_node.with_changes(value=cst.parse_expression(f"{self.r.names.trial_path}({code(updated_node.value)})"))
        suggestion = self.r.arg_suggestions.get(id(original_node))
        if suggestion is None:
            return updated_node
        expr = cst.parse_expression(f"{TRIAL}.{suggestion} if {TRIAL} is not None else {code(updated_node.value)}")
        return updated_node.with_changes(value=expr)

    def leave_For(self, original_node: cst.For, updated_node: cst.For) -> cst.For:
        suggestion = self.r.sweep_iters.get(id(original_node.iter))
        if suggestion is None:
            return updated_node
        iterable = code(updated_node.iter)
        element = (f"({', '.join(f'{TRIAL}.{one}' for one in suggestion)},)" if isinstance(suggestion, tuple)
                   else f"{TRIAL}.{suggestion}")
        # The final run (a FixedTrial) goes over the script's own values again, so its table still prints.
        expr = cst.parse_expression(
            f"[{element}] if {TRIAL} is not None and not isinstance({TRIAL}, optuna.trial.FixedTrial) "
            f"else {iterable}"
        )
        return updated_node.with_changes(iter=expr)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if last_name(updated_node) in ("log_params", "log_param"):
            return self._logged_as_tuned(updated_node)
        if id(original_node) not in self.r.nest_runs:
            return updated_node
        args = list(updated_node.args)
        if args and args[-1].comma is cst.MaybeSentinel.DEFAULT:
            args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("nested"),
                            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
        return updated_node.with_changes(args=args)

    def _logged_as_tuned(self, call: cst.Call) -> cst.Call:
        """`mlflow.log_params({"max_depth": 4})` written beside `XGBClassifier(max_depth=4)`: each trial logs
        the value it suggested (a trial returns the same value for the same name), not the default."""
        tuned = {t.key: t for t in self.r.tuned if t.kind == "ctor-kwarg"}

        def swapped(key: str | None, value: cst.BaseExpression) -> cst.BaseExpression | None:
            t = tuned.get(key or "")
            if t is None or literal_value(value) != t.default or type(literal_value(value)) is not type(t.default):
                return None
            return cst.parse_expression(f"{TRIAL}.{t.suggest} if {TRIAL} is not None else {code(value)}")

        args = list(call.args)
        if last_name(call) == "log_param" and len(args) >= 2:
            new = swapped(string_value(args[0].value), args[1].value)
            if new is not None:
                args[1] = args[1].with_changes(value=new)
            return call.with_changes(args=args)
        if args and isinstance(args[0].value, cst.Dict):
            elements = []
            for e in args[0].value.elements:
                new = swapped(string_value(e.key), e.value) if isinstance(e, cst.DictElement) else None
                elements.append(e.with_changes(value=new) if new is not None else e)
            args[0] = args[0].with_changes(value=args[0].value.with_changes(elements=elements))
        return call.with_changes(args=args)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        r = self.r
        kept: list[cst.BaseStatement] = []
        run: list[cst.BaseStatement] = []
        guard: cst.If | None = None
        for orig, new in zip(original_node.body, updated_node.body):
            if orig is r.guard:
                guard = new  # type: ignore[assignment]
                run.extend(new.body.body)  # type: ignore[union-attr]  # leave_IndentedBlock expanded it
            elif id(orig) in r.run_ids:
                run.extend(self._expand([orig], [new]))
            else:
                kept.extend(self._expand([orig], [new]))
        run = self._merged(run)
        head = self._run_head(run)
        run = [_cell_markers_at_top_level(_tidy_blank_lines(stmt)) for stmt in run]
        first = run[0]
        if getattr(first, "leading_lines", ()):
            # Blank lines above the first moved statement would sit under the docstring; comments stay.
            lines = list(first.leading_lines)
            while lines and lines[0].comment is None:
                lines.pop(0)
            run[0] = first.with_changes(leading_lines=lines)
        docstring = cst.parse_statement(
            '"""The script\'s own run; each Optuna trial calls it with the trial\'s hyperparameters."""'
        )
        run_def = cst.FunctionDef(
            name=cst.Name(r.names.run),
            params=cst.Parameters(),
            body=cst.IndentedBlock(body=[docstring, *head, *run]),
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
        )
        objective_def = r.objective_def().with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
        helpers = [r.trial_path_def()] if r.path_args else []
        study = r.study_statements()
        if guard is not None:
            new_guard = guard.with_changes(body=guard.body.with_changes(body=study))
        else:
            new_guard = cst.If(test=cst.parse_expression('__name__ == "__main__"'),
                               body=cst.IndentedBlock(body=study),
                               leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
        state = cst.parse_statement(f"{TRIAL} = None  # the running Optuna trial; None runs the script's own defaults")
        index = after_imports(kept)
        if index < len(kept):
            state = state.with_changes(leading_lines=[cst.EmptyLine()])
        kept.insert(index, state)
        return updated_node.with_changes(body=[*kept, *helpers, run_def, objective_def, new_guard])

    def _run_head(self, run: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        r = self.r
        names = assigned_in(run)
        for t in r.outside:
            if t.kind in ("constant", "list-item") and t.key not in names:
                names.append(t.key)
            if t.kind == "dataclass" and r.frozen.get(t.site.owner or ""):
                var = _site_var(t.site.whole, "dataclasses.asdict(")
                if var and var not in names:
                    names.append(var)
        head: list[cst.BaseStatement] = []
        if names:
            head.append(cst.parse_statement(f"global {', '.join(names)}"))
        if r.outside:
            head.append(guarded(override_lines(r.outside, r.frozen)))
        return head


_CELL_MARKER = re.compile(r"#\s*(%%|In\[)")


def _cell_markers_at_top_level(stmt: cst.BaseStatement) -> cst.BaseStatement:
    """`# %%` cell markers of moved statements stay in the first column, where editors and jupytext
    look for them (Python ignores a comment's indentation)."""
    lines = getattr(stmt, "leading_lines", ())
    if not any(line.comment is not None and _CELL_MARKER.match(line.comment.value) for line in lines):
        return stmt
    return stmt.with_changes(leading_lines=[
        line.with_changes(indent=False) if line.comment is not None and _CELL_MARKER.match(line.comment.value) else line
        for line in lines
    ])


def _tidy_blank_lines(stmt: cst.BaseStatement) -> cst.BaseStatement:
    """At most one blank line above a moved statement, without trailing indentation."""
    lines: list[cst.EmptyLine] = []
    for line in getattr(stmt, "leading_lines", ()):
        if line.comment is None:
            if lines and lines[-1].comment is None:
                continue
            line = line.with_changes(indent=False, whitespace=cst.SimpleWhitespace(""))
        lines.append(line)
    return stmt.with_changes(leading_lines=lines) if hasattr(stmt, "leading_lines") else stmt


class AddOptunaSearch(Recipe):
    """Search the script's hyperparameters with an Optuna study.

    The script's run (its `if __name__ == "__main__":` block, or its top-level code) becomes a
    function that each trial calls. Where the script sets a hyperparameter (a module constant, an
    argparse default, a config dict, a dataclass config, a local literal or a constructor keyword,
    including XGBoost's and LightGBM's scikit-learn estimators), the running trial suggests a value
    in a range derived from the default: log scale for positive floats such as learning rates (at
    most three times the default), integer ranges around integer defaults, sampling fractions
    (subsample, colsample_bytree) within (0, 1], a scheduler's decay factor (StepLR's gamma) below
    1, and known choices for strings such as sklearn's criterion or kernel. A loop over literal
    values (`for C in [0.1, 1, 10]:`, or a list named once, `for k in range_n_clusters:` when the
    loop fits one model per value) becomes one suggested value per trial; the final run goes over
    the script's own values again. Only settings that
    change the trained model are searched: not seeds, data sizes, shapes or evaluation-only
    settings (`test_batch_size`), not flags, not settings that define the data or the target
    function (`make_blobs(centers=K)`, `W_target = torch.randn(DEGREE, 1)`), not a split point or a row
    count (`cut` read only in `series[:cut]` and `series[cut:]`, `n` only in `rng.normal(0, 1, n)`), a
    forecast horizon or a CV splitter's gap, not settings read only
    in a branch the script's defaults never take (`--nhead` while `--model` is LSTM), and not
    values the model never sees (printed settings, a quality gate's threshold).

    The trial returns the script's validation metric, computed from the model the trial tunes
    (never a metric no suggestion changes); accuracy-like metrics are maximized, loss- and
    error-like ones minimized. A study never selects on the test split: when the script only
    scores its model on a test split made by `train_test_split`, by slicing (`X[:200]`,
    `X[200:]`) or by torch datasets (`train=False`, a `test_loader` over its own dataset), a trial
    re-splits the training part and is scored on the held-out rows, while the final run still
    reports the test split; a script whose test data cannot be set aside this way is not tuned.

    Statements that act on the world (file writes such as `to_csv` and `savefig`, model saves,
    git commits, uploads, other processes) run in the script's own run and in the final run, not in
    every trial; a checkpoint that the script saves and reads back goes to a scratch folder while a
    trial runs, and a script whose side effects cannot be kept out of trials is refused with the
    reason. `# %%` cell markers stay in the first column.

    The first trial runs the script's own defaults, and the sampler is seeded so that a study can
    be repeated. The study runs `--option n_trials=N` trials (default 20, written into the script;
    a trial that raises is recorded as failed and the study goes on), prints the best parameters
    and value, and then runs the script once more with the best parameters, so its usual output
    still appears. If the script tracks with MLflow, each trial is a nested run of one study run,
    the runs a trial leaves open (it raised or exited early) are ended before the next trial, the
    logged values are the trial's, and the final run is a run of its own.

    Numpy training (gradient steps in a loop, closed-form solves, iterative updates) and
    hand-written torch updates (`p.data.add_(...)`) count as training, and literal keyword
    arguments the script passes to its own training functions and classes are searched too.
    """

    TASK = SPEC.id
    DESCRIPTION = SPEC.title
    EXAMPLES = [
        Example(
            """
            from sklearn.datasets import load_iris
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.model_selection import train_test_split

            N_ESTIMATORS = 50
            MAX_DEPTH = 4

            X, y = load_iris(return_X_y=True)
            X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
            clf = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=0)
            clf.fit(X_train, y_train)
            accuracy = clf.score(X_test, y_test)
            print(f"accuracy: {accuracy:.3f}")
            """,
            """
            from sklearn.datasets import load_iris
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.model_selection import train_test_split
            import optuna

            optuna_trial = None  # the running Optuna trial; None runs the script's own defaults

            N_ESTIMATORS = 50
            MAX_DEPTH = 4


            def run_experiment():
                \"\"\"The script's own run; each Optuna trial calls it with the trial's hyperparameters.\"\"\"
                global X, y, X_train, X_test, y_train, y_test, clf, accuracy, N_ESTIMATORS, MAX_DEPTH
                if optuna_trial is not None:
                    N_ESTIMATORS = optuna_trial.suggest_int("N_ESTIMATORS", 25, 75, log=True)
                    MAX_DEPTH = optuna_trial.suggest_int("MAX_DEPTH", 2, 8)
                X, y = load_iris(return_X_y=True)
                X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
                if optuna_trial is not None and not isinstance(optuna_trial, optuna.trial.FixedTrial):
                    # A trial is scored on a validation split of the training data, never on the test split.
                    X_train, X_test, y_train, y_test = train_test_split(X_train, y_train, test_size=0.25, random_state=0)
                clf = RandomForestClassifier(n_estimators=N_ESTIMATORS, max_depth=MAX_DEPTH, random_state=0)
                clf.fit(X_train, y_train)
                accuracy = clf.score(X_test, y_test)
                if optuna_trial is not None:
                    optuna_trial.set_user_attr("accuracy", float(accuracy))
                print(f"accuracy: {accuracy:.3f}")


            def objective(trial):
                \"\"\"One Optuna trial: run the script with suggested hyperparameters; return its accuracy.\"\"\"
                global optuna_trial
                optuna_trial = trial
                run_experiment()
                return trial.user_attrs.get("accuracy", float("nan"))  # nan: the run never reported it


            if __name__ == "__main__":
                study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=0))
                study.enqueue_trial({"N_ESTIMATORS": 50, "MAX_DEPTH": 4})
                study.optimize(objective, n_trials=20, catch=(Exception,))
                print("Best params:", study.best_params)
                print("Best value:", study.best_value)
                # Run the script once more, with the best hyperparameters found.
                optuna_trial = optuna.trial.FixedTrial(study.best_params)
                run_experiment()
            """,
        ),
        Example(
            """
            import argparse

            from sklearn.datasets import load_breast_cancer
            from sklearn.metrics import log_loss
            from sklearn.model_selection import train_test_split
            from sklearn.svm import SVC


            def main():
                parser = argparse.ArgumentParser()
                parser.add_argument("--C", type=float, default=1.0)
                parser.add_argument("--kernel", default="rbf")
                args = parser.parse_args()
                X, y = load_breast_cancer(return_X_y=True)
                X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
                model = SVC(C=args.C, kernel=args.kernel, probability=True, random_state=0)
                model.fit(X_train, y_train)
                val_loss = log_loss(y_val, model.predict_proba(X_val))
                print(f"validation log loss: {val_loss:.4f}")


            if __name__ == "__main__":
                main()
            """,
            """
            import argparse

            from sklearn.datasets import load_breast_cancer
            from sklearn.metrics import log_loss
            from sklearn.model_selection import train_test_split
            from sklearn.svm import SVC
            import optuna

            optuna_trial = None  # the running Optuna trial; None runs the script's own defaults


            def main():
                parser = argparse.ArgumentParser()
                parser.add_argument("--C", type=float, default=1.0)
                parser.add_argument("--kernel", default="rbf")
                args = parser.parse_args()
                if optuna_trial is not None:
                    args.C = optuna_trial.suggest_float("C", 0.1, 10.0, log=True)
                    args.kernel = optuna_trial.suggest_categorical("kernel", ["linear", "poly", "rbf", "sigmoid"])
                X, y = load_breast_cancer(return_X_y=True)
                X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
                model = SVC(C=args.C, kernel=args.kernel, probability=True, random_state=0)
                model.fit(X_train, y_train)
                val_loss = log_loss(y_val, model.predict_proba(X_val))
                if optuna_trial is not None:
                    optuna_trial.set_user_attr("val_loss", float(val_loss))
                print(f"validation log loss: {val_loss:.4f}")


            def run_experiment():
                \"\"\"The script's own run; each Optuna trial calls it with the trial's hyperparameters.\"\"\"
                main()


            def objective(trial):
                \"\"\"One Optuna trial: run the script with suggested hyperparameters; return its val_loss.\"\"\"
                global optuna_trial
                optuna_trial = trial
                run_experiment()
                return trial.user_attrs.get("val_loss", float("nan"))  # nan: the run never reported it


            if __name__ == "__main__":
                study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=0))
                study.enqueue_trial({"C": 1.0, "kernel": "rbf"})
                study.optimize(objective, n_trials=20, catch=(Exception,))
                print("Best params:", study.best_params)
                print("Best value:", study.best_value)
                # Run the script once more, with the best hyperparameters found.
                optuna_trial = optuna.trial.FixedTrial(study.best_params)
                run_experiment()
            """,
        ),
    ]
    NOOP = [
        """
        import optuna

        def objective(trial):
            x = trial.suggest_float("x", -10, 10)
            return (x - 2) ** 2

        study = optuna.create_study()
        study.optimize(objective, n_trials=10)
        """,
        """
        import numpy as np

        values = np.arange(10)
        print(values.mean())
        """,
    ]

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if "optuna" in tree.code and ("import optuna" in tree.code or "from optuna" in tree.code):
            raise SkipFile("already tuned with Optuna")
        scan = self.scan(tree)
        trains = scan.fit_lines or scan.torch_loops or scan.cv_lines or scan.trainer_funcs or scan.update_loops
        if not (trains or fits_numerically(tree)):
            raise SkipFile("nothing to adapt: the script trains no model")
        self.names = _Names(tree)
        self.guard = scan.main_guard
        effects = find_side_effects(tree)
        if effects.refusal:
            raise Unsupported(effects.refusal)
        self.side_effects = set(effects.statements)
        self.scratch: list[tuple[cst.CSTNode, str]] = []  # (where a checkpoint path is set, the path)
        self.rereads: list[tuple[cst.CSTNode, str]] = []  # (a read of a literal checkpoint path, the trial's read)
        self.path_args: set[int] = set()  # arguments naming a checkpoint path, which trials send to trial_path()
        for path in effects.read_back:
            anchor = scratch_anchor(tree, path)
            helper = helper_checkpoint(tree, path) if anchor is None else None
            if helper is not None:
                # The helper's path is pointed at a scratch folder in trials, and the script's read of its
                # default name becomes, in trials, a read from the helper's path.
                self.scratch.append((helper.init_start, helper.parameter))
                self.rereads.extend(helper.reads)
                self.side_effects |= {id(stmt) for stmt, _ in helper.reads}
                continue
            if anchor is None:
                # A literal path or a config entry (`torch.save(state, "model.pth")`, `cfg["checkpoint"]`):
                # where it is saved and where it is read back, a trial names a file in its scratch folder.
                self.path_args |= {id(arg) for arg in path_arguments(tree, path) + passed_path_reads(tree, path)}
                continue
            self.scratch.append((anchor, path))
        run_block = self._run_block(tree, scan)
        self.run_ids = {id(s) for s in run_block if any(s is top for top in tree.body)}
        executed = self._executed_sites(scan, run_block)
        hpo = collect_tunables(tree, scan)
        _keep_files_per_round(tree, hpo.tunables)
        records = result_record_keys(tree)  # `best = {"accuracy": 0.0}` holds results, not settings
        hpo.tunables = [t for t in hpo.tunables if not (t.kind == "config-dict" and t.key in records)]
        hpo.tunables += listed_weights(scan, hpo)
        hpo.tunables += sectioned_config_tunables(scan, {t.name for t in hpo.tunables})
        hpo.tunables += parsed_dataclass_tunables(scan, {t.name for t in hpo.tunables})
        # Build, then read the result the way the verifier will: a study must not select on the
        # test split, and every suggestion must reach the model. Each round fixes one finding.
        excluded: set[tuple[int, str]] = set()  # metrics computed on the test split
        dropped: set[str] = set()  # hyperparameters whose value reaches no model
        on_test: tuple[Objective, str] | None = None
        unmoved: list[str] = []  # metrics that no searched hyperparameter changes
        relay_refusal = ""  # why a metric reported by a function also called on test data was passed over
        carve = False
        for _ in range(12):
            objective = None if carve else choose_objective(scan, _without(executed, excluded))
            if on_test is not None and objective is not None and not _validation_metric(objective):
                # Instead of the test metric, only a validation one (not a training loss).
                validation = [s for s in _without(executed, excluded)
                              if _validation_site(s) or scored_on_validation(tree, s)]
                objective = choose_objective(scan, validation) if validation else None
                valid = objective is not None and (_validation_metric(objective) or scored_on_validation(tree, objective.site))
                objective = objective if valid else None
            self.relay = None
            if objective is not None:
                try:
                    self.relay = relay_for(tree, objective.site)
                except ScoredOnTestToo as shared:
                    relay_refusal = str(shared)
                    excluded.add((id(objective.site), objective.key))
                    continue
            if objective is None and on_test is None:
                if relay_refusal:
                    raise Unsupported(relay_refusal)
                if unmoved:
                    raise Unsupported(
                        f"no metric of the script depends on the hyperparameters found (`{unmoved[0]}` is "
                        "computed from a model none of them changes): every trial would score the same"
                    )
                raise Unsupported("no evaluation metric was found to optimise")
            if objective is None:
                objective, carve = on_test[0], True
            hpo.objective = objective
            result = self._build(tree, scan, run_block, hpo, dropped, carve)
            verdict = _verdict(result)
            if verdict.dead - dropped:
                dropped |= verdict.dead
                continue
            if verdict.unmoved and not carve:
                unmoved.append(verdict.unmoved)
                excluded.add((id(objective.site), objective.key))
                continue
            evidence = verdict.on_test
            if evidence is None:
                return result
            if carve:
                raise Unsupported(
                    f"the script scores its model only on the test split (`{on_test[1]}`): an Optuna study "
                    "would fit the hyperparameters to the test set; add a validation split (or "
                    "cross-validation) for the study to score"
                )
            on_test = on_test or (objective, evidence)
            excluded.add((id(objective.site), objective.key))
        raise Unsupported("no metric the study may optimise was found")

    def _build(self, tree: cst.Module, scan: Scan, run_block: list, hpo, dropped: set[str], carve: bool) -> cst.Module:
        """The adapted module for one choice of metric and hyperparameters."""
        self.hpo = hpo
        plan = _Insertions()
        self.arg_suggestions: dict[int, str] = {}
        self.outside: list[Tunable] = []
        self.frozen = {name: frozen for name, (_, frozen) in scan.dataclass_defaults.items()}
        self.tuned: list[Tunable] = []
        by_anchor: dict[tuple[int, str], list[Tunable]] = {}
        anchors: dict[int, cst.CSTNode] = {}
        inside = self._inside_ids(run_block, tree)
        for t in hpo.tunables:
            if t.name in dropped:
                continue
            in_run = id(t.site.anchor) in inside or (t.site.ctx is not None and not t.site.ctx.module_level)
            if t.kind == "ctor-kwarg":
                if in_run and t.node is not None:
                    self.arg_suggestions[id(t.node)] = t.suggest
                    self.tuned.append(t)
                continue
            if in_run:
                by_anchor.setdefault((id(t.site.anchor), t.site.where), []).append(t)
                anchors[id(t.site.anchor)] = t.site.anchor
            else:
                self.outside.append(t)
            self.tuned.append(t)
        self.sweep_iters = self._sweeps(scan, inside, {t.name for t in self.tuned} | dropped)
        if not self.tuned and dropped:
            raise Unsupported(
                f"the hyperparameters found ({', '.join(sorted(dropped))}) reach no model the analysis sees "
                "being trained or built, so no trial could change the score"
            )
        if not self.tuned:
            reason = "no hyperparameter with a literal default was found where the run can change it"
            chooser = _self_tuning_estimator(tree)
            if chooser is not None:
                reason += (f"; the model picks its own (`{chooser}` selects its setting by internal "
                           "cross-validation), and a study would only repeat that search")
            raise Unsupported(reason)
        for (key, where), group in by_anchor.items():
            plan.add(anchors[key], where, guarded(override_lines(group, self.frozen)))
        if carve:
            for split, text in validation_carves(tree, inside, self.arg_suggestions):
                where = "before" if text.startswith("# before\n") else "after"
                for statement in cst.parse_module(text.removeprefix("# before\n")).body:
                    plan.add(split, where, statement)
                if "torch.utils.data.random_split" in text:
                    AddImportsVisitor.add_needed_import(self.context, "torch.utils.data")
        for (anchor, where), path in self.scratch:
            for statement in cst.parse_module(scratch_statement(path, TRIAL)).body:
                plan.add(anchor, where, statement)
            AddImportsVisitor.add_needed_import(self.context, "os")
            AddImportsVisitor.add_needed_import(self.context, "tempfile")
        if self.path_args:
            AddImportsVisitor.add_needed_import(self.context, "os")
            AddImportsVisitor.add_needed_import(self.context, "tempfile")
        for stmt, read in self.rereads:
            plan.add(stmt, "after", cst.parse_statement(
                f"if {TRIAL} is not None and not isinstance({TRIAL}, optuna.trial.FixedTrial):\n"
                "    # A trial reads its checkpoint back from the scratch folder it saved it to.\n"
                f"    {read}\n"
            ))
        metric = hpo.objective
        if self.relay is None:
            report = guarded([f'{TRIAL}.set_user_attr("{metric.key}", float({metric.expr}))'])
            plan.add(metric.site.anchor, metric.site.where, report)
        else:
            latest = f"{self.relay.function}_latest"
            plan.add(metric.site.anchor, metric.site.where,
                     guarded([f'{TRIAL}.set_user_attr("{latest}", float({metric.expr}))']))
            plan.add(self.relay.statement, "after",
                     guarded([f'{TRIAL}.set_user_attr("{metric.key}", {TRIAL}.user_attrs["{latest}"])']))
        self.nest_runs = self._mlflow_runs(tree, scan)
        self.run_exits = any(k in code(cst.Module(body=run_block)) for k in ("exit(", "SystemExit"))
        if any(t.kind == "dataclass" and self.frozen.get(t.site.owner or "") for t in self.tuned):
            AddImportsVisitor.add_needed_import(self.context, "dataclasses")
        AddImportsVisitor.add_needed_import(self.context, "optuna")
        if self.uses_mlflow:
            AddImportsVisitor.add_needed_import(self.context, "mlflow")
        return tree.visit(_HpoRewriter(plan, self))

    # ---------------------------------------------------------------- analysis of the run
    def _sweeps(self, scan: Scan, inside: set[int], taken: set[str]) -> dict[int, str]:
        """`for C in [0.1, 1, 10]:` loops over literal values: each trial runs one suggested value."""
        found: dict[int, str] = {}
        loops = [sweep.loop for sweep in scan.nested_runs if sweep.param is not None]
        loops += [loop for loop in iter_nodes(scan.module) if _fits_per_value(loop) and loop not in loops]
        for loop in loops:
            listed = loop.iter if isinstance(loop.iter, (cst.List, cst.Tuple)) else _listed_once(scan.module, loop.iter)
            values = literal_value(listed) if listed is not None else None
            if not isinstance(loop.target, cst.Name) or not isinstance(values, (list, tuple)):
                continue
            kinds = {type(v) for v in values}
            name = loop.target.value
            if len(values) < 2 or len(kinds) != 1 or not kinds <= {int, float, str} or name in taken:
                continue
            if id(loop) not in inside and not _inside_function(scan, loop):
                continue
            options = ", ".join(_python_literal(v) for v in values)
            suggest = f'suggest_categorical("{name}", [{options}])'
            found[id(loop.iter)] = suggest
            site = ParamSite(loop, "before", "sweep")
            self.tuned.append(Tunable(name, name, values[0], suggest, site, "sweep", loop))
            taken.add(name)
        for loop in iter_nodes(scan.module):
            grid = _product_grid(scan.module, loop)
            # A loop name already searched elsewhere (`reg` of the default run) goes by its list's name (`regs`).
            grid = [(name if name not in taken else listed, values) for name, listed, values in grid or []]
            if not grid or len({name for name, _ in grid} | taken) != len(grid) + len(taken):
                continue
            if id(loop) not in inside and not _inside_function(scan, loop):
                continue
            suggests = []
            for name, values in grid:
                suggest = f'suggest_categorical("{name}", [{", ".join(_python_literal(v) for v in values)}])'
                suggests.append(suggest)
                self.tuned.append(Tunable(name, name, values[0], suggest, ParamSite(loop, "before", "sweep"), "sweep", loop))
                taken.add(name)
            found[id(loop.iter)] = tuple(suggests)
        return found

    def _run_block(self, tree: cst.Module, scan: Scan) -> list[cst.BaseStatement]:
        """The statements that make one run of the script."""
        guard = scan.main_guard
        if guard is not None and (guard.orelse is not None or not isinstance(guard.body, cst.IndentedBlock)):
            raise Unsupported("the `if __name__ == \"__main__\":` block has an else branch or is on one line")
        if scan.first_exec is None:
            raise SkipFile("nothing to adapt: the script does no work when run")
        # Top-level work before the guard (data, model) runs again in each trial, so trials start afresh.
        started = False
        block: list[cst.BaseStatement] = []
        for stmt in tree.body:
            if stmt is guard:
                block.extend(guard.body.body)  # type: ignore[union-attr]
                break
            started = started or stmt is scan.first_exec
            if started and (not _is_definition(stmt) or _decorated_by(stmt, assigned_in(block))):
                block.append(stmt)
        return self._without_definition_reads(tree, block)

    def _without_definition_reads(self, tree: cst.Module, block: list) -> list:
        """`HPARAMS = {...}` read by `def main(hp=HPARAMS)`: the default is bound when the function is
        defined, so the literal stays at module level (a trial's overrides mutate that same object)."""
        read: set[str] = set()
        for stmt in tree.body:
            if _is_definition(stmt) and not any(stmt is b for b in block):
                read |= _read_when_defined(stmt)
        read = _with_called_functions_reads(tree, read)
        kept: list[cst.BaseStatement] = []
        for stmt in block:
            bound = set(assigned_in([stmt])) & read if any(stmt is t for t in tree.body) else set()
            if not bound:
                kept.append(stmt)
                continue
            values = [assignment_value(stmt, name) for name in sorted(bound)]
            if any(v is None or not is_literal_node(v) for v in values):
                raise Unsupported(
                    f"`{', '.join(sorted(bound))}` is read when a function or class is defined (a default "
                    "argument or decorator) but is computed by the run: a trial could not change it"
                )
        return kept

    def _inside_ids(self, run_block: list[cst.BaseStatement], tree: cst.Module) -> set[int]:
        return {id(node) for stmt in run_block for node in iter_nodes(stmt)}

    def _executed_sites(self, scan: Scan, run_block: list[cst.BaseStatement]):
        """Metric sites that a run executes: in functions, or in the run block itself.

        The scan's sites come last, so that on a tie they win over the extra ones found here."""
        inside = self._inside_ids(run_block, scan.module)
        sites = (printed_metric_calls(scan.module, scan) + extra_metric_sites(scan.module, scan)
                 + _returned_dict_sites(scan) + list(scan.metrics))
        return [m for m in sites if not m.ctx.module_level or id(m.anchor) in inside]

    def _mlflow_runs(self, tree: cst.Module, scan: Scan) -> set[int]:
        """mlflow.start_run calls to nest under the study's run (ids of the Call nodes)."""
        self.uses_mlflow = "mlflow" in scan.imported_modules
        self.script_starts_runs = False
        if not self.uses_mlflow:
            return set()
        found: set[int] = set()
        for node in calls_in(tree, lambdas=True):
            name = call_name(node) or ""
            if last_name(node) == "start_run" and scan.imports.get(name.split(".")[0], "").startswith("mlflow"):
                self.script_starts_runs = True
                if not any(a.keyword is not None and a.keyword.value == "nested" for a in node.args):
                    found.add(id(node))
        return found

    # ---------------------------------------------------------------- generated code
    def trial_path_def(self) -> cst.FunctionDef:
        """`def trial_path(path)`: in a trial, the file the script saves and reads back lives in the trial's own folder."""
        return cst.parse_statement(
            f"def {self.names.trial_path}(path):\n"
            '    """Where a file the script saves and reads back goes: in a trial, a scratch folder of its own,\n'
            '    so that only the script\'s own run and the final run write the script\'s file."""\n'
            f"    if {TRIAL} is None or isinstance({TRIAL}, optuna.trial.FixedTrial):\n"
            "        return path\n"
            f'    if "scratch_folder" not in {TRIAL}.user_attrs:  # one folder per trial, kept in the study\n'
            f'        {TRIAL}.set_user_attr("scratch_folder", tempfile.mkdtemp(prefix="optuna-trial-"))\n'
            f'    return os.path.join({TRIAL}.user_attrs["scratch_folder"], os.path.basename(path))\n'
        ).with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])

    def objective_def(self) -> cst.FunctionDef:
        """`def objective(trial)`: one trial runs the script and returns the metric it reported."""
        metric = self.hpo.objective
        assert metric is not None
        run: cst.BaseStatement = cst.parse_statement(f"{self.names.run}()")
        if self.uses_mlflow and not self.script_starts_runs:
            run = _with('mlflow.start_run(run_name=f"trial-{trial.number}", nested=True)', [run])
        if self.run_exits:
            ends_trial = cst.parse_statement("pass  # the script's exit ends one trial, not the study")
            handler = cst.ExceptHandler(body=cst.IndentedBlock([ends_trial]), type=cst.Name("SystemExit"))
            run = cst.Try(body=cst.IndentedBlock([run]), handlers=[handler])
        runs: list[cst.BaseStatement] = [run]
        if self.uses_mlflow and self.script_starts_runs:
            runs = cst.parse_module(
                "study_run = mlflow.active_run()\n"
                'status = "FAILED"\n'
                "try:\n"
                "    pass\n"
                '    status = "FINISHED"\n'
                "finally:\n"
                "    # A trial that stops early leaves the runs it started open: end them, so that the next\n"
                "    # trial is not nested under them and no run stays RUNNING.\n"
                "    while mlflow.active_run() is not None and (\n"
                "        study_run is None or mlflow.active_run().info.run_id != study_run.info.run_id\n"
                "    ):\n"
                "        mlflow.end_run(status)\n"
            ).body
            runs = list(runs)
            attempt = runs[2]
            runs[2] = attempt.with_changes(body=attempt.body.with_changes(body=[run, attempt.body.body[1]]))
        return cst.FunctionDef(
            name=cst.Name(self.names.objective),
            params=cst.Parameters([cst.Param(cst.Name("trial"))]),
            body=cst.IndentedBlock([
                cst.parse_statement(
                    f'"""One Optuna trial: run the script with suggested hyperparameters; return its {metric.key}."""'
                ),
                cst.parse_statement(f"global {TRIAL}"),
                cst.parse_statement(f"{TRIAL} = trial"),
                *runs,
                cst.parse_statement(
                    f'return trial.user_attrs.get("{metric.key}", float("nan"))  # nan: the run never reported it'
                ),
            ]),
        )

    def study_statements(self) -> list[cst.BaseStatement]:
        """The body of `if __name__ == "__main__":`: the study, its report, and a last run with the best values."""
        metric = self.hpo.objective
        assert metric is not None
        n_trials = self.option("n_trials", DEFAULT_N_TRIALS)
        if not n_trials.isdigit() or int(n_trials) < 1:
            raise Unsupported(f"--option n_trials must be a positive integer, got {n_trials!r}")
        first: dict[str, Tunable] = {}  # a setting suggested at two places is one name
        for t in self.tuned:
            first.setdefault(t.name, t)
        defaults = ", ".join(f'"{name}": {_python_literal(t.default)}' for name, t in first.items())
        optimize = cst.parse_statement(
            f"study.optimize({self.names.objective}, n_trials={int(n_trials)}, catch=(Exception,))"
        )
        if self.uses_mlflow:
            optimize = _with('mlflow.start_run(run_name="optuna-study")', [
                optimize,
                cst.parse_statement('mlflow.log_params({f"best_{k}": v for k, v in study.best_params.items()})'),
                cst.parse_statement(f'mlflow.log_metric("best_{metric.key}", study.best_value)'),
            ])
        rerun = cst.parse_statement(f"{TRIAL} = optuna.trial.FixedTrial(study.best_params)")
        return [
            cst.parse_statement(
                f'study = optuna.create_study(direction="{metric.direction}", '
                "sampler=optuna.samplers.TPESampler(seed=0))"
            ),
            cst.parse_statement(f"study.enqueue_trial({{{defaults}}})"),
            optimize,
            cst.parse_statement('print("Best params:", study.best_params)'),
            cst.parse_statement('print("Best value:", study.best_value)'),
            _commented(rerun, "Run the script once more, with the best hyperparameters found."),
            cst.parse_statement(f"{self.names.run}()"),
        ]


def _returned_dict_sites(scan: Scan) -> list[MetricSite]:
    """`self.callback_metrics = self._validate(module, val_loader)`, where the script's own function
    returns (directly, or through one more of its calls) `{"val_loss": loss, "val_acc": acc}`: a dict
    of named results, stored where the caller keeps it; and `results[label] = {"f1": ...}`, an entry
    of a dict of results."""
    defs: dict[str, list[cst.FunctionDef]] = {}
    for func in iter_nodes(scan.module, skip=(cst.BaseExpression,)):
        if isinstance(func, cst.FunctionDef):
            defs.setdefault(func.name.value, []).append(func)

    def returned_keys(call: cst.Call, depth: int) -> list[str]:
        found = defs.get(last_name(call) or "", [])
        if len(found) != 1 or depth > 2:
            return []
        values = [n.value for n in iter_nodes(found[0].body, skip=(cst.FunctionDef, cst.ClassDef))
                  if isinstance(n, cst.Return) and n.value is not None]
        if len(values) != 1:
            return []
        value = values[0]
        if isinstance(value, cst.Call):
            return returned_keys(value, depth + 1)
        if not isinstance(value, cst.Dict) or _literal_dict(value):
            return []
        keys = [string_value(e.key) or "" for e in value.elements if isinstance(e, cst.DictElement)]
        return [k for k in keys if k and direction_of(k)]

    found: list[MetricSite] = []
    for body, func in scan.blocks:
        for stmt in body:
            if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                continue
            small = stmt.body[0]
            if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.value, (cst.Call, cst.Dict))):
                continue
            target = small.targets[0].target
            if isinstance(target, cst.Subscript) and isinstance(small.value, cst.Dict) and not _literal_dict(small.value):
                # `results[label] = {"f1": f1_score(...), ...}`: one entry of a dict of results.
                keys = [string_value(e.key) or "" for e in small.value.elements if isinstance(e, cst.DictElement)]
                keys = [k for k in keys if k and direction_of(k)]
                if keys:
                    found.append(MetricSite(stmt, "after", code(target.value), code(target), "dict", None,
                                            scan.line_of(stmt), Ctx(function=func), keys))
                continue
            if not isinstance(small.value, cst.Call):
                continue  # a dict display under a name: the shared analysis lists those
            if not (isinstance(target, cst.Name) or isinstance(target, cst.Attribute) and code(target.value) == "self"):
                continue
            keys = returned_keys(small.value, 0)
            keys = [k for k in keys if not k.lower().startswith("train")] or keys
            if keys:
                name = code(target)
                found.append(MetricSite(stmt, "after", name.split(".")[-1], name, "dict", None, scan.line_of(stmt),
                                        Ctx(function=func), keys))
    return found


def _literal_dict(value: cst.Dict) -> bool:
    """`{"lr": 0.1}`: settings, not results."""
    return all(isinstance(e, cst.DictElement) and is_literal_node(e.value) for e in value.elements)


def _without(sites: list[MetricSite], excluded: set[tuple[int, str]]) -> list[MetricSite]:
    """The metric sites minus the (site, key) pairs already found to be computed on the test split."""
    kept = []
    for site in sites:
        if site.kind == "dict" and site.keys:
            keys = [k for k in site.keys if (id(site), k) not in excluded]
            if keys:
                kept.append(site if keys == site.keys else _with_keys(site, keys, excluded))
        elif (id(site), site.key) not in excluded:
            kept.append(site)
    return kept


def _with_keys(site: MetricSite, keys: list[str], excluded: set[tuple[int, str]]) -> MetricSite:
    """A dict site reduced to some of its keys; exclusions made on the original carry over to it."""
    reduced = replace(site, keys=keys)
    excluded.update((id(reduced), k) for (sid, k) in list(excluded) if sid == id(site))
    return reduced


# scikit-learn estimators that choose their own hyperparameters by cross-validation (RidgeCV, LassoCV,
# LogisticRegressionCV, GridSearchCV, HalvingRandomSearchCV).
_SELF_TUNING = re.compile(r"^[A-Z]\w*(CV|SearchCV)$")


def _self_tuning_estimator(tree: cst.Module) -> str | None:
    """`RidgeCV(alphas=alphas)`: the first estimator the script builds that tunes itself, as code (shortened)."""
    for node in iter_nodes(tree):
        if isinstance(node, cst.Call) and _SELF_TUNING.match(last_name(node) or ""):
            text = code(node)
            return text if len(text) <= 60 else text[:57] + "..."
    return None


def _validation_metric(objective: Objective) -> bool:
    """A metric named as computed on validation data (val_loss, valid_f1, dev_acc, `val["auc"]`) or by
    cross-validation."""
    parts = re.split(r"[^a-z0-9]+", f"{objective.key} {objective.expr}".lower())
    return objective.site.kind == "cv" or any(p in _VALIDATION_PARTS for p in parts)


def _validation_site(site: MetricSite) -> bool:
    """A result stored under a validation name (`val = evaluate(X_val, y_val)`, `val_loss`) or from cross-validation."""
    parts = re.split(r"[^a-z0-9]+", f"{site.key} {site.expr}".lower())
    return site.kind == "cv" or any(p in _VALIDATION_PARTS for p in parts)


_VALIDATION_PARTS = frozenset({"val", "valid", "validation", "dev", "eval", "evaluation", "holdout", "cv", "oof"})


@dataclass(frozen=True)
class _Verdict:
    """What reading the built module found wrong with the choice of metric and hyperparameters."""

    on_test: str | None = None  # what shows the study's score comes from the test split
    dead: frozenset[str] = frozenset()  # suggested names that change no model
    unmoved: str | None = None  # the score no suggested value reaches (every trial scores the same)


def _verdict(module: cst.Module) -> _Verdict:
    program = read(module.code)
    found = program.objectives if program is not None else []
    if not found:
        return _Verdict()
    found_suggestions = suggestions(program)
    # A name suggested twice (the model's keyword, and its value logged beside it) lives if one use does.
    dead = frozenset(s.name for s in found_suggestions) - {s.name for s in found_suggestions if s.changes_model}
    return _Verdict(test_split_evidence(program, found[0]), dead, independent_of_trial(program, found[0]))


def validation_carves(
    tree: cst.Module, inside: set[int], suggested: dict[int, str] | None = None
) -> list[tuple[cst.CSTNode, str]]:
    """For each split into training and test data the run executes, the statement and the code that
    re-splits the training part while a trial runs: a trial is then scored on held-out training
    rows, and the final run (a FixedTrial) still on the test split.

    Two shapes: `X_train, X_test, y_train, y_test = train_test_split(X, y, ...)`, and slices of
    the same arrays, `X_train, X_test = X[:200], X[200:]` (or index arrays, `tr, te = idx[:n], idx[n:]`).
    `suggested` maps the keyword arguments the trial tunes (ids of the Arg nodes) to their suggestions,
    for statements that repeat a call of the script.
    """
    found: list[tuple[cst.CSTNode, str]] = []
    runs = set(inside)  # the run's own statements, and every function or method it may call
    for top in tree.body:
        if isinstance(top, (cst.FunctionDef, cst.ClassDef)):
            runs.update(id(n) for n in iter_nodes(top, skip=(cst.BaseExpression,)))
    for anchor, resplit in _dataset_pairs(tree, runs):
        found.append((anchor, _carve_block(resplit)))
    if not found:
        for anchor, resplit in _loader_pairs(tree, runs):
            found.append((anchor, "# before\n" + _carve_block(resplit)))
    if not found:
        for anchor, rebuild in _loader_rebuilds(tree, runs, suggested or {}):
            found.append((anchor, _carve_block(rebuild)))
    own = {f.name.value for f in iter_nodes(tree, skip=(cst.BaseExpression,)) if isinstance(f, cst.FunctionDef)}
    for stmt in iter_nodes(tree, skip=(cst.BaseExpression,)):
        if id(stmt) not in runs or not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        assign = stmt.body[0]
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            continue
        target = assign.targets[0].target
        if not isinstance(target, cst.Tuple):
            continue
        resplit = (_split_again(target, assign.value) or _slice_again(target, assign.value)
                   or _returned_parts_again(target, assign.value, own))
        if resplit:
            found.append((stmt, _carve_block(resplit)))
    if not found:
        for stmt, resplit in (_made_pairs(tree, runs) + _complementary_slices(tree, runs) + _row_set_pairs(tree, runs)
                              + _left_out_last(tree, runs)):
            found.append((stmt, _carve_block(resplit)))
    if not found:
        for stmt, rebuild in _sliced_constructions(tree, runs):
            found.append((stmt, _carve_block(rebuild)))
    return found


# Parts that are not row arrays: loaders, datasets and generators do not slice into rows.
_NOT_ROWS = re.compile(r"(loader|dl|iter|dataset|ds|gen|generator|stream|path|file|dir)s?$", re.IGNORECASE)


def _returned_parts_again(target: cst.Tuple, value: cst.BaseExpression, own: set[str]) -> str | None:
    """`X_train, X_test, y_train, y_test = load_data(seed)` (or `X_train, y_train, X_test, y_test = ...`): the
    arrays a call returns, paired by their names; a trial holds out the last quarter of each training array."""
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Name) or value.func.value not in own:
        return None  # only the script's own data function says what its parts are
    names = [code(e.value) if isinstance(e.value, cst.Name) else "" for e in target.elements]
    # Features and labels of both parts (four names or more): two parts alone may be datasets or scores.
    if len(names) < 4 or len(names) % 2 or not all(names) or any(_NOT_ROWS.search(n) for n in names):
        return None
    if any(is_metric_name(n) for n in names):
        return None
    tests = [is_test_name(n) for n in names]
    half = len(names) // 2
    if all(tests[1::2]) and not any(tests[0::2]):
        pairs = list(zip(names[0::2], names[1::2]))
    elif all(tests[half:]) and not any(tests[:half]):
        pairs = list(zip(names[:half], names[half:]))
    else:
        return None
    if not all(is_train_name(train) or train.lower() in ("x", "y") for train, _ in pairs):
        return None
    return _train_split_assignment(pairs)


def _train_split_assignment(pairs: list[tuple[str, str]]) -> str:
    """`X_train, X_test = X_train[:len(X_train) * 3 // 4], X_train[len(X_train) * 3 // 4:]` for each
    (train, test) pair: trials score on the last quarter of the training rows."""
    names, values = [], []
    for train, test in pairs:
        cut = f"len({train}) * 3 // 4"
        names += [train, test]
        values += [f"{train}[:{cut}]", f"{train}[{cut}:]"]
    return f"{', '.join(names)} = {', '.join(values)}"


def _sliced_constructions(tree: cst.Module, runs: set[int]) -> list[tuple[cst.CSTNode, str]]:
    """`train_bags = Bags(images[:half], labels[:half], 100)` and `test_bags = Bags(images[half:], labels[half:], 60)`
    in one block: the same call over complementary row slices of the same arrays. A trial names the training
    rows, then builds both again, the training part from their first three quarters and the held-out part
    from the last quarter, each with its own other arguments. Returns (the later statement, the rebuild)."""
    found: list[tuple[cst.CSTNode, str]] = []
    taken = names_in(tree)
    for body in statement_lists(tree):
        made = [(i, one) for i, stmt in enumerate(body) if id(stmt) in runs and (one := _named_call(stmt))]
        for test_index, (test, test_call) in made:
            if not is_test_name(test):
                continue
            partners = [
                (i, name, call) for i, (name, call) in made
                if is_train_name(name) and code(call.func) == code(test_call.func)
            ]
            if len(partners) != 1:
                continue
            train_index, train, train_call = partners[0]
            rebuilt = _rebuilt_on_rows(train_call, test_call, taken)
            if rebuilt is None:
                continue
            rows, train_args, test_args = rebuilt
            lines = [rows, f"{train} = {code(train_call.func)}({train_args})",
                     f"{test} = {code(test_call.func)}({test_args})"]
            found.append((body[max(train_index, test_index)], "\n    ".join(lines)))
    return found


def _named_call(stmt: cst.CSTNode) -> tuple[str, cst.Call] | None:
    """(name, call) for `name = f(...)` (not a DataLoader, which the loader re-splits handle)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)):
        return None
    if not isinstance(assign.value, cst.Call) or (last_name(assign.value) or "").endswith("DataLoader"):
        return None
    return assign.targets[0].target.value, assign.value


def _rebuilt_on_rows(train_call: cst.Call, test_call: cst.Call, taken: set[str]) -> tuple[str, str, str] | None:
    """(the training rows named, the training call's arguments, the held-out call's arguments) for a trial's
    rebuild: each `A[:n]` / `A[n:]` pair becomes `A_train = A[:n]`, then `A_train[:cut]` and `A_train[cut:]`;
    other arguments stay each call's own. None unless the arguments pair up that way (at least one pair,
    with the same non-negative bound on both sides)."""
    train_args, test_args = list(train_call.args), list(test_call.args)
    if len(train_args) != len(test_args) or any(a.star or b.star for a, b in zip(train_args, test_args)):
        return None
    names, rows, train_out, test_out = [], [], [], []
    for a, b in zip(train_args, test_args):
        if (a.keyword is None) != (b.keyword is None) or (a.keyword and a.keyword.value != b.keyword.value):
            return None
        head, tail = _sliced(a.value), _sliced(b.value)
        prefix = f"{a.keyword.value}=" if a.keyword else ""
        if head and tail and head == (tail[0], "head") and tail[1] == "tail":
            bound = code(a.value.slice[0].slice.upper)
            if bound != code(b.value.slice[0].slice.lower) or bound.lstrip().startswith("-"):
                return None
            name = fresh_name(re.sub(r"\W+", "_", head[0]).strip("_") + "_train", taken)
            taken.add(name)
            names.append(name)
            rows.append(code(a.value))
            cut = f"len({name}) * 3 // 4"
            train_out.append(f"{prefix}{name}[:{cut}]")
            test_out.append(f"{prefix}{name}[{cut}:]")
        elif head or tail:
            return None  # rows sliced some other way: the shape does not say which rows are held out
        else:
            train_out.append(prefix + code(a.value))
            test_out.append(prefix + code(b.value))
    if not names:
        return None
    return f"{', '.join(names)} = {', '.join(rows)}", ", ".join(train_out), ", ".join(test_out)


def _row_slices(stmt: cst.CSTNode) -> list[tuple[str, str, str, str, str]]:
    """(name, sliced array, "head"/"tail", the bound, the other dimensions) for `test_input = data[:3, :-1]`
    (or a conversion of those rows, `torch.from_numpy(data[:3, :-1])`), one per name of
    `X_test, y_test = digits.data[n:], digits.target[n:]`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return []
    assign = stmt.body[0]
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
        return []
    target, value = assign.targets[0].target, assign.value
    if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements):
        pairs = [(t.value, v.value) for t, v in zip(target.elements, value.elements)]
    else:
        pairs = [(target, value)]
    found = [one for name, rows in pairs if isinstance(name, cst.Name) and (one := _row_slice(name.value, rows))]
    return found if len(found) == len(pairs) else []


def _row_slice(name: str, value: cst.BaseExpression) -> tuple[str, str, str, str, str] | None:
    positional = [a for a in value.args if a.keyword is None] if isinstance(value, cst.Call) else []
    if len(positional) == 1 and not positional[0].star:
        value = positional[0].value  # `torch.from_numpy(data[3:, :-1])`: the rows of the array converted
    if not (isinstance(value, cst.Subscript) and isinstance(value.value, (cst.Name, cst.Attribute))):
        return None
    rows = value.slice[0].slice
    if not isinstance(rows, cst.Slice) or rows.step is not None or (rows.lower is None) == (rows.upper is None):
        return None
    side, bound = ("head", rows.upper) if rows.lower is None else ("tail", rows.lower)
    others = ", ".join(code(e.slice) for e in value.slice[1:])
    return name, code(value.value), side, code(bound), others


def _complementary_slices(tree: cst.Module, runs: set[int]) -> list[tuple[cst.CSTNode, str]]:
    """`input = data[3:, :-1]`, `target = data[3:, 1:]`, `test_input = data[:3, :-1]`, `test_target = data[:3, 1:]`:
    each test slice has a training partner, the other rows of the same array with the same columns.
    A trial holds out the last quarter of the training rows in place of the test rows."""
    found: list[tuple[cst.CSTNode, str]] = []
    for body in statement_lists(tree):
        slices = [(index, one) for index, stmt in enumerate(body) if id(stmt) in runs for one in _row_slices(stmt)]
        tests = [(i, one) for i, one in slices if is_test_name(one[0])]
        pairs: list[tuple[str, str]] = []
        for _, (test, base, side, bound, others) in tests:
            partners = [
                one[0] for _, one in slices
                if one[1:] == (base, "tail" if side == "head" else "head", bound, others) and not is_test_name(one[0])
            ]
            if len(partners) != 1:
                break
            pairs.append((partners[0], test))
        else:
            if not pairs:
                continue
            last = max(i for i, one in slices if any(one[0] in pair for pair in pairs))
            names, values = [], []
            for train, test in pairs:
                cut = f"len({train}) * 3 // 4"
                names += [train, test]
                values += [f"{train}[:{cut}]", f"{train}[{cut}:]"]
            found.append((body[last], f"{', '.join(names)} = {', '.join(values)}"))
    return found


def _row_set_pairs(tree: cst.Module, runs: set[int]) -> list[tuple[cst.CSTNode, str]]:
    """Training and test rows chosen as complements in one block: by a boolean mask (`train = df[msk]`,
    `test = df[~msk]`) or by pandas sampling (`train_df = df.sample(frac=0.8)`, `test_df = df.drop(train_df.index)`).
    A trial holds out the last quarter of the training rows in place of the test rows (after the later statement)."""
    found: list[tuple[cst.CSTNode, str]] = []
    for block in iter_nodes(tree, skip=(cst.BaseExpression,)):
        body = getattr(block, "body", None)
        if not isinstance(body, (list, tuple)) or not body or not isinstance(body[0], cst.BaseStatement):
            continue
        made = {}  # name -> (index in the block, its value), for one-name assignments the run executes
        for index, stmt in enumerate(body):
            named = _named_value(stmt) if id(stmt) in runs else None
            if named is not None:
                made[named[0]] = (index, named[1])
        pairs: list[tuple[str, str]] = []
        last = -1
        for test, (test_index, test_value) in made.items():
            if not is_test_name(test):
                continue
            partner = next((train for train, (_, value) in made.items()
                            if train != test and is_train_name(train) and _complements(value, test_value, train, test)), None)
            if partner is not None:
                pairs.append((partner, test))
                last = max(last, test_index, made[partner][0])
        if pairs:
            found.append((body[last], _train_split_assignment(pairs)))
    return found


def _left_out_last(tree: cst.Module, runs: set[int]) -> list[tuple[cst.CSTNode, str]]:
    """Leave-one-out per group: `train_pos = {u: set(items[:-1]) for u, items in user_items.items()}` and
    `test_pos = {u: items[-1] for u, items in user_items.items()}` (the last element of each group is its test
    item). A trial makes the same two from the groups without their test items, so that each group's last
    training item is held out: `user_items_train = {u: items[:-1] for ...}`, then both statements over it."""
    found: list[tuple[cst.CSTNode, str]] = []
    taken = names_in(tree)
    for body in statement_lists(tree):
        made = [(i, one, stmt) for i, stmt in enumerate(body) if id(stmt) in runs and (one := _named_value(stmt))]
        for test_index, (test, test_value), test_stmt in made:
            held = _group_element(test_value, train=False) if is_test_name(test) else None
            if held is None:
                continue
            partners = [(i, stmt) for i, (name, value), stmt in made
                        if is_train_name(name) and _group_element(value, train=True) == held]
            if len(partners) != 1:
                continue
            groups, key, items, bound = held
            fresh = fresh_name(f"{groups}_train", taken)
            taken.add(fresh)
            lines = [f"{fresh} = {{{key}: {items}[:-{bound}] for {key}, {items} in {groups}.items()}}"]
            for stmt in sorted([partners[0][1], test_stmt], key=lambda s: body.index(s)):
                assign = stmt.body[0]  # the statement without its comment lines
                lines.append(code(assign.deep_replace(_iterated_items(stmt), cst.parse_expression(f"{fresh}.items"))).strip())
            found.append((body[max(test_index, partners[0][0])], "\n    ".join(lines)))
    return found


def _group_element(value: cst.BaseExpression, train: bool) -> tuple[str, str, str, str] | None:
    """(groups, key, items, k) for a comprehension over `groups.items()` (one `for key, items in ...`) whose
    element reads `items[:-k]` (train) or `items[-k]` / `items[-k:]` (test); k a literal."""
    if not isinstance(value, (cst.DictComp, cst.ListComp, cst.SetComp)) or value.for_in.inner_for_in is not None:
        return None
    loop = value.for_in
    if loop.ifs or code(loop.iter).count("(") != 1 or not code(loop.iter).endswith(".items()"):
        return None
    groups = code(loop.iter).removesuffix(".items()")
    if not (isinstance(loop.target, cst.Tuple) and len(loop.target.elements) == 2 and re.fullmatch(r"\w+", groups)):
        return None
    key, items = (code(e.value) for e in loop.target.elements)
    element = code(value.value if isinstance(value, cst.DictComp) else value.elt)
    pattern = rf"\b{re.escape(items)}\[:-(\d+)\]" if train else rf"\b{re.escape(items)}\[-(\d+):?\]"
    bounds = re.findall(pattern, element)
    if len(bounds) != 1 or re.sub(pattern, "", element).count(items):
        return None
    return groups, key, items, bounds[0]


def _iterated_items(stmt: cst.CSTNode) -> cst.CSTNode:
    """The `groups.items` callee of the comprehension's loop in the statement."""
    value = stmt.body[0].value
    return value.for_in.iter.func


def _named_value(stmt: cst.CSTNode) -> tuple[str, cst.BaseExpression] | None:
    """(name, value) for `name = value`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
        return assign.targets[0].target.value, assign.value
    return None


def _complements(train: cst.BaseExpression, test: cst.BaseExpression, train_name: str, test_name: str) -> bool:
    """`df[msk]` and `df[~msk]`; `df.sample(...)` and `df.drop(train_df.index)` (either way round)."""
    if isinstance(train, cst.Subscript) and isinstance(test, cst.Subscript) and len(train.slice) == len(test.slice) == 1:
        rows, other = train.slice[0].slice, test.slice[0].slice
        if isinstance(rows, cst.Index) and isinstance(other, cst.Index) and isinstance(rows.value, cst.Name):
            negated = other.value
            return (code(train.value) == code(test.value) and isinstance(negated, cst.UnaryOperation)
                    and isinstance(negated.operator, cst.BitInvert) and code(negated.expression) == rows.value.value)
        return False
    for sampled, dropped, partner in ((train, test, train_name), (test, train, test_name)):
        if not (isinstance(sampled, cst.Call) and isinstance(dropped, cst.Call)
                and isinstance(sampled.func, cst.Attribute) and isinstance(dropped.func, cst.Attribute)):
            continue
        if (sampled.func.attr.value == "sample" and dropped.func.attr.value == "drop" and dropped.args
                and code(sampled.func.value) == code(dropped.func.value)
                and code(dropped.args[0].value) == f"{partner}.index"):
            return True
    return False


def _made_pairs(tree: cst.Module, runs: set[int]) -> list[tuple[cst.CSTNode, str]]:
    """`train_data, test_data = ring(1000, g), ring(200, g)`: training and test data made by two
    expressions of one assignment. A trial holds out the last quarter of the training data (a slice;
    for a torch dataset, a seeded random_split)."""
    loaded = {  # names passed to a DataLoader: datasets, which do not slice
        code(call.args[0].value)
        for call in calls_in(tree)
        if (last_name(call) or "").endswith("DataLoader") and call.args and call.args[0].keyword is None
    }
    found: list[tuple[cst.CSTNode, str]] = []
    for stmt in iter_nodes(tree, skip=(cst.BaseExpression,)):
        if id(stmt) not in runs or not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        assign = stmt.body[0]
        if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
            continue
        target, value = assign.targets[0].target, assign.value
        if not (isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple)
                and len(target.elements) == len(value.elements) == 2):
            continue
        names = [e.value.value if isinstance(e.value, cst.Name) else "" for e in target.elements]
        sides = ["test" if is_test_name(n) else "train" if is_train_name(n) else "" for n in names]
        if sorted(sides) != ["test", "train"]:
            continue
        if any(isinstance(e.value, cst.Call) and re.search(r"Loader|Dataset", last_name(e.value) or "") for e in value.elements):
            continue  # datasets and loaders have their own re-splits
        train, test = (names[0], names[1]) if sides[0] == "train" else (names[1], names[0])
        if train in loaded:
            resplit = (f"{train}, {test} = torch.utils.data.random_split("
                       f"{train}, [0.75, 0.25], generator=torch.Generator().manual_seed(0))")
        else:
            cut = f"len({train}) * 3 // 4"
            resplit = f"{train}, {test} = {train}[:{cut}], {train}[{cut}:]"
        found.append((stmt, resplit))
    return found


def _carve_block(resplit: str) -> str:
    return (
        f"if {TRIAL} is not None and not isinstance({TRIAL}, optuna.trial.FixedTrial):\n"
        "    # A trial is scored on a validation split of the training data, never on the test split.\n"
        f"    {resplit}\n"
    )


def _dataset_pairs(tree: cst.Module, runs: set[int]) -> list[tuple[cst.CSTNode, str]]:
    """torch datasets made by one call for training and one for testing, in the same block:
    `dataset1 = datasets.MNIST(root, train=True)` and `dataset2 = datasets.MNIST(root, train=False)`
    (or `train_set = ...` / `test_set = ...`). While a trial runs, the test dataset is replaced by a
    quarter of the training dataset (torch.utils.data.random_split), which the rest left for training.
    Returns (the later of the two statements, the re-split)."""
    own = _dataset_classes(tree)
    found: list[tuple[cst.CSTNode, str]] = []
    for body in statement_lists(tree):
        made: list[tuple[cst.CSTNode, str, str, str]] = []  # (statement, name, callee, "train"/"test")
        for stmt in body:
            if id(stmt) not in runs:
                continue
            one = _dataset_statement(stmt, own)
            if one is not None:
                made.append((stmt, *one))
        for later_index, (later, test_name, callee, side) in enumerate(made):
            if side != "test":
                continue
            partners = [m for m in made[:later_index] if m[2] == callee and m[3] == "train"]
            partners += [m for m in made[later_index + 1 :] if m[2] == callee and m[3] == "train"]
            if len(partners) != 1:
                continue
            anchor = max((later, partners[0][0]), key=lambda node: list(map(id, body)).index(id(node)))
            train_name = partners[0][1]
            found.append((anchor, (
                f"{train_name}, {test_name} = torch.utils.data.random_split("
                f"{train_name}, [0.75, 0.25], generator=torch.Generator().manual_seed(0))"
            )))
    return found


def _loader_pairs(tree: cst.Module, runs: set[int]) -> list[tuple[cst.CSTNode, str]]:
    """`train_loader = DataLoader(dataset1, ...)` and `test_loader = DataLoader(dataset2, ...)` in one
    block, over datasets made elsewhere (`dataset1, dataset2 = load_data()`): before the loaders, a
    trial replaces the test dataset by a quarter of the training one. Returns (the first loader
    statement, the re-split)."""
    found: list[tuple[cst.CSTNode, str]] = []
    for body in statement_lists(tree):
        loaders: dict[str, tuple[cst.CSTNode, str]] = {}  # "train"/"test" -> (statement, dataset name)
        for stmt in body:
            one = _loader_statement(stmt) if id(stmt) in runs else None
            if one is not None and one[0] not in loaders:
                loaders[one[0]] = (stmt, one[1])
        if set(loaders) == {"train", "test"} and loaders["train"][1] != loaders["test"][1]:
            first = min(loaders.values(), key=lambda pair: list(map(id, body)).index(id(pair[0])))[0]
            train_name, test_name = loaders["train"][1], loaders["test"][1]
            found.append((first, (
                f"{train_name}, {test_name} = torch.utils.data.random_split("
                f"{train_name}, [0.75, 0.25], generator=torch.Generator().manual_seed(0))"
            )))
    return found


def _loader_rebuilds(tree: cst.Module, runs: set[int], suggested: dict[int, str]) -> list[tuple[cst.CSTNode, str]]:
    """`trainloader = DataLoader(TensorDataset(X[:800], y[:800]), ...)` and `testloader =
    DataLoader(make_set(200), ...)` in one block, over data made inline: after both, a trial splits a
    quarter off the training loader's dataset (torch.utils.data.random_split, seeded) and rebuilds
    both loaders with their own settings (a tuned one as the trial suggests it), the test loader over
    that quarter. Returns (the later loader statement, the statements)."""
    found: list[tuple[cst.CSTNode, str]] = []
    taken = names_in(tree)
    for body in statement_lists(tree):
        loaders: dict[str, tuple[int, str, cst.Call]] = {}  # "train"/"test" -> (index, name, call)
        for index, stmt in enumerate(body):
            one = _loader_call(stmt) if id(stmt) in runs else None
            if one is not None and one[0] not in loaders:
                loaders[one[0]] = (index, one[1], one[2])
        if set(loaders) != {"train", "test"}:
            continue
        calls = [loaders["train"][2], loaders["test"][2]]
        if any(a.keyword is not None and a.keyword.value in ("sampler", "batch_sampler") for c in calls for a in c.args):
            continue  # a sampler is bound to the original dataset's indices
        train_part, held_out = fresh_name("train_part", taken), fresh_name("validation_part", taken)
        taken |= {train_part, held_out}
        lines = [
            f"{train_part}, {held_out} = torch.utils.data.random_split("
            f"{loaders['train'][1]}.dataset, [0.75, 0.25], generator=torch.Generator().manual_seed(0))"
        ]
        for side, part in (("train", train_part), ("test", held_out)):
            _, name, call = loaders[side]
            settings = [
                a.with_changes(value=cst.parse_expression(f"{TRIAL}.{suggested[id(a)]}")) if id(a) in suggested else a
                for a in call.args[1:]
            ]
            rebuilt = call.with_changes(args=[call.args[0].with_changes(value=cst.Name(part)), *settings])
            lines.append(f"{name} = {cst.Module(body=[]).code_for_node(rebuilt)}")
        found.append((body[max(loaders["train"][0], loaders["test"][0])], "\n    ".join(lines)))
    return found


def _loader_call(stmt: cst.CSTNode) -> tuple[str, str, cst.Call] | None:
    """("train" or "test", the loader's name, the call) for `train_loader = DataLoader(data, ...)`
    with the data passed first and positionally."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)):
        return None
    call, name = assign.value, assign.targets[0].target.value
    if not (isinstance(call, cst.Call) and (last_name(call) or "").endswith("DataLoader") and call.args):
        return None
    if call.args[0].keyword is not None or call.args[0].star:
        return None
    if is_test_name(name):
        return "test", name, call
    if is_train_name(name):
        return "train", name, call
    return None


def _loader_statement(stmt: cst.CSTNode) -> tuple[str, str] | None:
    """("train" or "test", the dataset's name) for `train_loader = DataLoader(dataset, ...)`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)):
        return None
    call, name = assign.value, assign.targets[0].target.value
    if not (isinstance(call, cst.Call) and (last_name(call) or "").endswith("DataLoader") and call.args):
        return None
    data = call.args[0]
    if data.keyword is not None or not isinstance(data.value, cst.Name):
        return None
    if is_test_name(name):
        return "test", data.value.value
    if is_train_name(name):
        return "train", data.value.value
    return None


def _dataset_classes(tree: cst.Module) -> set[str]:
    """The file's own torch dataset classes: `class WavePatches(Dataset)`."""
    return {
        node.name.value for node in iter_nodes(tree, skip=(cst.BaseExpression,))
        if isinstance(node, cst.ClassDef) and any("Dataset" in code(base.value) for base in node.bases)
    }


def _dataset_statement(stmt: cst.CSTNode, own: set[str] = frozenset()) -> tuple[str, str, str] | None:
    """(name, callee, "train" or "test") for `name = Callee(..., train=True|False)` or a train/test-named
    dataset made by a call (of torch's datasets or of the file's own Dataset classes, `own`); None otherwise."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    assign = stmt.body[0]
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)):
        return None
    call, name = assign.value, assign.targets[0].target.value
    if not isinstance(call, cst.Call) or "loader" in name.lower() or "DataLoader" in code(call.func):
        return None
    flag = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "train"), None)
    if isinstance(flag, cst.Name) and flag.value in ("True", "False"):
        return name, code(call.func), "train" if flag.value == "True" else "test"
    strings = {string_value(a.value) for a in call.args if string_value(a.value)}
    if not ("Dataset" in code(call.func) or "datasets." in code(call.func) or code(call.func) in own
            or strings & {"train", "test"}):
        return None  # `np.mean(...)`, `torch.tensor(...)`: arrays, which the other re-splits handle
    if is_test_name(name) or strings & {"test", "testing"}:
        return name, code(call.func), "test"
    if is_train_name(name) or strings & {"train", "training"}:
        return name, code(call.func), "train"
    return None


def _split_again(target: cst.Tuple, call: cst.BaseExpression) -> str | None:
    """`X_train, X_test, ... = train_test_split(X_train, y_train, test_size=0.25, ...)` for a train_test_split."""
    if not (isinstance(call, cst.Call) and last_name(call) == "train_test_split"):
        return None
    arrays = [a for a in call.args if a.keyword is None and a.star == ""]
    names = [code(e.value) for e in target.elements]
    if not arrays or len(names) != 2 * len(arrays) or not any(is_test_name(n.split(".")[-1]) for n in names[1::2]):
        return None
    train_parts = names[0::2]
    keywords = {a.keyword.value: code(a.value) for a in call.args if a.keyword is not None}
    options = [f"random_state={keywords.get('random_state', '0')}"]
    given = [code(a.value) for a in arrays]
    if keywords.get("stratify") in given:
        options.append(f"stratify={train_parts[given.index(keywords['stratify'])]}")
    if "shuffle" in keywords:
        options.append(f"shuffle={keywords['shuffle']}")
    return f"{', '.join(names)} = {code(call.func)}({', '.join(train_parts)}, test_size=0.25, {', '.join(options)})"


def _slice_again(target: cst.Tuple, value: cst.BaseExpression) -> str | None:
    """`X_train, X_test = X[:200], X[200:]` -> `X_train, X_test = X_train[: len(X_train) * 3 // 4], X_train[len(X_train) * 3 // 4 :]`."""
    if not isinstance(value, cst.Tuple) or len(value.elements) != len(target.elements):
        return None
    heads: dict[str, str] = {}  # sliced array -> the name of its training part
    tails: list[tuple[str, str]] = []  # (test part's name, sliced array)
    for element, sliced in zip(target.elements, value.elements):
        name, part = code(element.value), _sliced(sliced.value)
        if part is None:
            continue
        base, side = part
        if side == "head" and not is_test_name(name.split(".")[-1]):
            heads[base] = name
        elif side == "tail" and is_test_name(name.split(".")[-1]):
            tails.append((name, base))
    pairs = [(heads[base], name) for name, base in tails if base in heads]
    if not pairs:
        return None
    return _train_split_assignment(pairs)


def _sliced(expr: cst.BaseExpression) -> tuple[str, str] | None:
    """(array, "head") for `X[:n]`, (array, "tail") for `X[n:]`; None for anything else."""
    if not isinstance(expr, cst.Subscript) or len(expr.slice) != 1:
        return None
    part = expr.slice[0].slice
    if not isinstance(part, cst.Slice) or part.step is not None:
        return None
    if part.lower is None and part.upper is not None:
        return code(expr.value), "head"
    if part.lower is not None and part.upper is None:
        return code(expr.value), "tail"
    return None


def _product_grid(module: cst.Module, loop: cst.CSTNode) -> list[tuple[str, str, list]] | None:
    """`for hs, lr, reg in itertools.product(hidden_sizes, learning_rates, regs):` building a model with
    the values: the script's own grid search, each trial runs one combination; (loop name, list, values) each."""
    if not (isinstance(loop, cst.For) and isinstance(loop.target, cst.Tuple) and isinstance(loop.iter, cst.Call)
            and last_name(loop.iter) == "product" and len(loop.target.elements) == len(loop.iter.args) >= 2):
        return None
    grid = []
    for element, arg in zip(loop.target.elements, loop.iter.args):
        listed = arg.value if isinstance(arg.value, (cst.List, cst.Tuple)) else _listed_once(module, arg.value)
        values = literal_value(listed) if listed is not None and arg.keyword is None else None
        if not isinstance(element.value, cst.Name) or not isinstance(values, (list, tuple)) or len(values) < 2:
            return None
        if len({type(v) for v in values}) != 1 or not {type(v) for v in values} <= {int, float, str}:
            return None
        grid.append((element.value.value, code(arg.value), list(values)))
    names = {name for name, _, _ in grid}
    built = any(isinstance(a.value, cst.Name) and a.value.value in names for c in calls_in(loop.body) for a in c.args)
    return grid if built else None


def _fits_per_value(loop: cst.CSTNode) -> bool:
    """`for k in ks: model = KMeans(n_clusters=k); model.fit_predict(X)`: a loop that builds a model with
    its loop variable as a keyword argument and fits it, one model per value."""
    if not isinstance(loop, cst.For) or not isinstance(loop.target, cst.Name):
        return False
    calls = list(calls_in(loop.body))
    built = any(
        any(
            a.keyword is not None and isinstance(a.value, cst.Name) and a.value.value == loop.target.value for a in c.args
        )
        for c in calls
    )
    return built and any(last_name(c) in ("fit", "fit_predict", "fit_transform", "partial_fit") for c in calls)


def _listed_once(module: cst.Module, iterable: cst.BaseExpression) -> cst.BaseExpression | None:
    """`range_n_clusters = [2, 3, 4, 5, 6]` for `for k in range_n_clusters:`: the literal list a name
    is bound to by its only assignment (None when it is assigned again, or to anything else)."""
    if isinstance(iterable, cst.Attribute):
        return _field_default_list(module, iterable.attr.value)
    if not isinstance(iterable, cst.Name):
        return None
    values = [
        node.value for node in iter_nodes(module)
        if isinstance(node, cst.Assign) and any(isinstance(t.target, cst.Name) and t.target.value == iterable.value
                                                for t in node.targets)
    ]
    stores = [n for n in iter_nodes(module) if isinstance(n, (cst.AugAssign, cst.AnnAssign, cst.For))
              and isinstance(getattr(n, "target", None), cst.Name) and n.target.value == iterable.value]
    if len(values) != 1 or stores or not isinstance(values[0], (cst.List, cst.Tuple)):
        return None
    return values[0]


def _field_default_list(module: cst.Module, name: str) -> cst.BaseExpression | None:
    """`alphas: list = field(default_factory=lambda: [0.01, 0.1, 1.0])` in a class of the script, for
    `for alpha in cfg.alphas:`: the literal list, when one class field has that name and nothing assigns
    the attribute."""
    found = []
    for cls in module.body:
        if not isinstance(cls, cst.ClassDef) or not isinstance(cls.body, cst.IndentedBlock):
            continue
        for stmt in cls.body.body:
            small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
            if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.target.value == name:
                value = small.value
                if isinstance(value, cst.Call) and last_name(value) == "field":
                    factory = next((a.value for a in value.args if a.keyword and a.keyword.value == "default_factory"), None)
                    value = factory.body if isinstance(factory, cst.Lambda) else None
                found.append(value)
    assigned = any(
        isinstance(n, cst.AssignTarget) and isinstance(n.target, cst.Attribute) and n.target.attr.value == name
        for n in iter_nodes(module)
    )
    if len(found) != 1 or assigned or not isinstance(found[0], (cst.List, cst.Tuple)):
        return None
    return found[0]


def _inside_function(scan: Scan, node: cst.CSTNode) -> bool:
    """True when the node sits in a function body (which the run calls), not at module level."""
    return any(
        isinstance(f, cst.FunctionDef) and any(n is node for n in iter_nodes(f)) for f in scan.module.body
    )


def _python_literal(value: object) -> str:
    return '"' + value + '"' if isinstance(value, str) else repr(value)


def _decorated_by(stmt: cst.BaseStatement, names: list[str]) -> bool:
    """`@trainer.on(Events.EPOCH_COMPLETED)` over a handler, where the run made `trainer`: registering the
    handler is part of the run (each trial's new trainer needs it), not a definition to keep outside."""
    if not isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return False
    read = {n.value for d in stmt.decorators for n in iter_nodes(d.decorator) if isinstance(n, cst.Name)}
    return bool(read & set(names))


def _read_when_defined(stmt: cst.BaseStatement) -> set[str]:
    """Names a `def`/`class` statement evaluates when it runs: defaults, decorators, bases, class-level code."""
    if isinstance(stmt, cst.FunctionDef):
        parts = [p.default for p in iter_nodes(stmt.params) if isinstance(p, cst.Param) and p.default is not None]
        parts += [d.decorator for d in stmt.decorators]
    elif isinstance(stmt, cst.ClassDef):
        parts = [a.value for a in stmt.bases] + [k.value for k in stmt.keywords] + [d.decorator for d in stmt.decorators]
        inner = block_body(stmt.body)
        parts += [s for s in inner if not isinstance(s, (cst.FunctionDef, cst.ClassDef))]
        names = {n.value for part in parts for n in iter_nodes(part) if isinstance(n, cst.Name)}
        # method bodies run later, but their defaults and decorators are evaluated with the class
        return names.union(*(_read_when_defined(s) for s in inner if isinstance(s, (cst.FunctionDef, cst.ClassDef))))
    else:
        return set()
    return {n.value for part in parts for n in iter_nodes(part) if isinstance(n, cst.Name)}


def _with_called_functions_reads(tree: cst.Module, read: set[str]) -> set[str]:
    """`@register("mlp")` over a class: `register` runs when the class is defined, so the names its body
    reads (the `MODELS = {}` it fills) are read then too; followed through module-level functions."""
    functions = {s.name.value: s for s in tree.body if isinstance(s, cst.FunctionDef)}
    found = set(read)
    pending = [n for n in read if n in functions]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        body_reads = {n.value for n in iter_nodes(functions[name].body) if isinstance(n, cst.Name)}
        found |= body_reads
        pending += [n for n in body_reads if n in functions and n not in seen]
    return found


def _is_definition(stmt: cst.BaseStatement) -> bool:
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return True
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    )


_SUGGESTED_INT = re.compile(r'^suggest_int\("([^"]+)", (\d+), (\d+)(.*)\)$')


def _keep_files_per_round(tree: cst.Module, tunables: list[Tunable]) -> None:
    """`for epoch in range(1, epochs + 1): torch.save(..., f"ckpt_epoch{epoch}.pth")`: the script writes one
    file per round, so a final run with fewer rounds than the default would not write the last ones; the
    round count is searched from its default up."""
    per_round = set()
    for loop in iter_nodes(tree, skip=(cst.BaseExpression,)):
        if not (isinstance(loop, cst.For) and isinstance(loop.target, cst.Name) and isinstance(loop.iter, cst.Call)
                and last_name(loop.iter) == "range"):
            continue
        counter = loop.target.value
        named = any(
            effect_of(c) in ("writes a file", "saves a file")
            and any(isinstance(n, cst.Name) and n.value == counter for n in iter_nodes(cst.parse_expression(target)))
            for c in calls_in(loop.body) for target in [_file_target(c)] if target
        )
        if named:
            per_round |= {n.value if isinstance(n, cst.Name) else n.attr.value for a in loop.iter.args
                          for n in iter_nodes(a.value) if isinstance(n, (cst.Name, cst.Attribute))}
    for t in tunables:
        match = _SUGGESTED_INT.match(t.suggest)
        if t.key in per_round and match and isinstance(t.default, int) and int(match.group(2)) < t.default:
            t.suggest = f'suggest_int("{match.group(1)}", {t.default}, {max(int(match.group(3)), t.default + 1)}{match.group(4)})'


def _file_target(call: cst.Call) -> str:
    """The code of the path a writing call writes, or "" (see side_effects)."""
    args = [a for a in call.args if a.keyword is None]
    if (last_name(call) or "") in ("save", "dump") and len(args) >= 2:
        return code(args[1].value)
    return code(args[0].value) if args else ""
