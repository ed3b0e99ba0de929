"""V2/V4 rules for hpo-optuna: suggestions that change the model, a score never taken on the test split, the right direction."""

from __future__ import annotations

import ast
import re

import libcst as cst

from mlops_adapt.analysis.exprs import (
    calls_in,
    code,
    is_literal,
    iter_nodes,
    last_name,
    string_value,
)
from mlops_adapt.analysis.hpo import NOT_TUNABLE, argparse_options, search_space
from mlops_adapt.analysis.hpo_uses import data_definitions
from mlops_adapt.tasks.hpo_optuna import SPEC
from mlops_adapt.tasks.hpo_optuna.configs import config_sections, result_record_keys
from mlops_adapt.tasks.hpo_optuna.dataflow import Frame, Program, last_attr, root_name
from mlops_adapt.tasks.hpo_optuna.objective import (
    independent_of_trial,
    objectives,
    read,
    score,
    suggestions,
    test_split_evidence,
)
from mlops_adapt.verify.rules.base import TaskRules
from mlops_adapt.verify.scope import _normal
from mlops_adapt.vocabulary import NOT_HYPERPARAM_NAME, PATHLIKE_VALUE, direction_of

_SUGGEST = re.compile(r"^suggest_(float|int|categorical|uniform|loguniform|discrete_uniform)$")
_TRIAL_PATH = re.compile(r"^trial_path(_\d+)?$")  # the recipe's helper: a checkpoint path, in a trial's scratch folder


class _Unsuggest(cst.CSTTransformer):
    """Undo the edits the task may make: `trial.suggest_x(...) if trial is not None else D` -> D, nested=True."""

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        body = updated_node.body
        if isinstance(body, cst.List) and len(body.elements) == 1:
            body = body.elements[0].value  # a sweep loop: `[trial.suggest_categorical(...)] if ... else values`
        if isinstance(body, cst.Call) and _SUGGEST.match(last_name(body) or ""):
            return updated_node.orelse
        if isinstance(body, cst.Tuple) and body.elements and all(  # a grid loop: one suggestion per listed setting
            isinstance(e.value, cst.Call) and _SUGGEST.match(last_name(e.value) or "") for e in body.elements
        ):
            return updated_node.orelse
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if isinstance(updated_node.func, cst.Name) and _TRIAL_PATH.match(updated_node.func.value) and len(updated_node.args) == 1:
            return updated_node.args[0].value
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


class HpoOptunaRules(TaskRules):
    TASK = SPEC.id
    SCOPE = "restructure"
    HELPER_NAMES = frozenset({"dataclasses", "os", "tempfile"})

    def allowed_change(self, original_stmt: str, candidate_stmts: list[str]) -> bool:
        if any(
            ("suggest_" in c or "nested" in c or "trial_path" in c) and undo_tuning_edits(c) == original_stmt
            for c in candidate_stmts
        ):
            return True
        # An LLM may pass the suggestion straight into the call: `train(X, lr=trial.suggest_float(...))`.
        target = masked(original_stmt)
        return target != original_stmt and any("suggest_" in c and masked(c) == target for c in candidate_stmts)

    def allowed_capability(self, use) -> bool:
        """The script's own file access with its path sent to the trial's scratch folder
        (`open(trial_path("best.pt"), "wb")`): the same access, to a copy only the trial sees."""
        return use.kind == "file" and re.search(r"\btrial_path(_\d+)?\(", use.text) is not None

    def postconditions(self, original, candidate, facts, options):
        problems: list[str] = []
        calls = calls_in(candidate, lambdas=True)
        studies = [c for c in calls if last_name(c) == "create_study"]
        optimizes = [c for c in calls if last_name(c) == "optimize" and c.args]
        if not studies:
            return ["no Optuna study is created (optuna.create_study)"]
        if not optimizes:
            return ["the study is never optimised (study.optimize(objective, n_trials=...))"]
        program = read(candidate.code)
        found = objectives(program) if program is not None else []
        objective = found[0] if found else None
        if objective is None or not program.params.get(id(objective)):
            given = code(optimizes[0].args[0].value)
            problems.append(f"`{given}` passed to study.optimize is not a function taking a trial")
            objective = None
        if _keyword(optimizes[0], "n_trials") is None and _keyword(optimizes[0], "timeout") is None:
            problems.append("study.optimize has neither n_trials nor timeout, so it never stops")

        unknown = sorted({
            last_name(c) or "" for c in calls
            if (last_name(c) or "").startswith("suggest_") and not _SUGGEST.match(last_name(c) or "")
        })
        for name in unknown:
            problems.append(f"`trial.{name}` does not exist in Optuna (suggest_float, suggest_int, suggest_categorical)")
        suggested = {
            # `weights[0]`, `weights[1]`: a list setting searched element by element is the setting `weights`.
            re.sub(r"\[\d+\]$", "", (string_value(c.args[0].value) or code(c.args[0].value)).lower())
            for c in calls
            if _SUGGEST.match(last_name(c) or "") and c.args
        }
        argparse = argparse_options(original)
        # Settings that define the data (`n = 900` rows drawn by `rng.normal(40, 12, n)`) are not the model's.
        data = data_definitions(original) | _text_constants(original)
        records = result_record_keys(original)
        wanted = {
            h.name.lower() for h in facts.hyperparams
            if not NOT_TUNABLE.search(h.name) and not (h.kind == "config-dict" and h.name in records) and not NOT_HYPERPARAM_NAME.search(h.name) and h.name not in data
            and (h.value is None or _tunable_literal(h.value))
            and not _string_without_choices(h.name, _literal_text(h.value), original)
            and (h.kind != "argparse" or _tunable_default(argparse.get(h.name)))
        }
        sections = config_sections(original)
        if wanted & set(sections):
            # `CONFIG = {"optim": {"lr": 0.01}}`: the settings are those of the model's sections, not the sections.
            inner = {k.lower() for s in wanted & set(sections) for k in sections[s]}
            wanted = (wanted - set(sections)) | {
                k for k in inner if not NOT_TUNABLE.search(k) and not NOT_HYPERPARAM_NAME.search(k) and k not in data
            }
        if not any(h.kind == "argparse" for h in facts.hyperparams):
            # The parser is built in a helper (`args = parse()`), where the facts do not see its options.
            wanted |= {dest.lower() for dest in _helper_parser_options(original.code)}
        swept = {  # `for alpha in cfg.alphas:` searched as "alpha" covers `alphas`
            w for w in wanted for n in _swept_names(original.code, [w]) if n.lower() in suggested
        }
        covered = {w for w in wanted if w in suggested or any(s.endswith("_" + w) for s in suggested)} | swept
        if not suggested:
            problems.append("the trial suggests no hyperparameter (trial.suggest_*)")
        elif wanted and len(covered) * 2 < len(wanted):
            missing = sorted(wanted - covered)
            problems.append(
                f"only {len(covered)} of {len(wanted)} hyperparameters are suggested by the trial; missing {missing}"
            )
        if program is not None and objective is not None:
            problems += _scored_on_validation(program, objective)
            problems += _direction_fits(program, objective, studies[0])
            problems += _suggestions_change_the_model(program)
            unmoved = independent_of_trial(program, objective)
            if unmoved:
                problems.append(
                    f"the objective returns `{unmoved}`, computed from a model that no suggested value changes: "
                    "every trial scores the same; return the metric of the model the trial tunes"
                )
        if program is not None and not _best_reported(program):
            problems.append("the best parameters are never printed")
        if program is not None and not _runs_after_study(program):
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
        # Settings that define the data (`make_blobs(centers=N_CLUSTERS)`) are not the model's either.
        try:
            module = cst.parse_module(original)
            data = data_definitions(module) | _text_constants(module)  # word lists are data, not settings
            argparse = argparse_options(module)
        except cst.ParserSyntaxError:
            data, argparse, module = set(), {}, None
        tunable = [
            hp["name"] for hp in facts["hyperparams"] + facts["ctor_hyperparams"]
            if not NOT_TUNABLE.search(hp["name"].rsplit(".", 1)[-1].lower())
            and not {hp["name"], "." + hp["name"], f'["{hp["name"]}"]'} & data
            and (hp["name"] not in argparse or _tunable_default(argparse[hp["name"]]))  # not `--out model.joblib`
            and not isinstance(hp.get("value"), bool)  # a switch (`include_bias=True`) is not searched
            and not (module is not None and _string_without_choices(hp["name"], hp.get("value"), module))
        ]
        tunable += _swept_names(original, tunable)
        try:
            sections = config_sections(cst.parse_module(original))
        except cst.ParserSyntaxError:
            sections = {}
        if set(tunable) & set(sections):
            # `CONFIG = {"optim": {"lr": 0.01}}`: the settings of the model's sections, not the sections.
            inner = [k for s in tunable if s in sections for k in sections[s] if not NOT_TUNABLE.search(k)]
            tunable = [t for t in tunable if t not in sections] + inner
        options = _helper_parser_options(original)
        if not set(options) & {hp["name"] for hp in facts["hyperparams"]}:
            tunable += options  # the parser is built in a helper (`args = parse()`), unseen by the facts
        return {"DIRECTION": expected_direction(candidate, metrics), "TUNABLE_NAMES": tunable}


def _swept_names(original: str, names: list[str]) -> list[str]:
    """`k` for `for k in range_n_clusters:`: a list of settings is searched one value per trial, under the loop's name."""
    try:
        tree = ast.parse(original)
    except SyntaxError:
        return []
    found = [
        node.target.id for node in ast.walk(tree)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id not in names
        and (isinstance(node.iter, ast.Name) and node.iter.id in names
             or isinstance(node.iter, ast.Attribute) and node.iter.attr in names)
    ]
    # `for hs, lr in itertools.product(hidden_sizes, learning_rates):`: each list under its loop name
    found += [
        target.id for node in ast.walk(tree)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Tuple) and isinstance(node.iter, ast.Call)
        and (getattr(node.iter.func, "attr", None) or getattr(node.iter.func, "id", None)) == "product"
        for target, listed in zip(node.target.elts, node.iter.args)
        if isinstance(target, ast.Name) and isinstance(listed, ast.Name) and listed.id in names
    ]
    return found


def _helper_parser_options(original: str) -> list[str]:
    """Tunable options of an argparse parser the facts do not see (built in a helper: `args = parse()`)."""
    try:
        options = argparse_options(cst.parse_module(original))
    except cst.ParserSyntaxError:
        return []
    return [
        dest for dest, option in options.items()
        if not NOT_TUNABLE.search(dest) and not NOT_HYPERPARAM_NAME.search(dest) and _tunable_default(option)
    ]


def _text_constants(module: cst.Module) -> set[str]:
    """`FILLER = ["please help", "urgent"]`, `PHRASES = {"billing": [...]}`: words the script's data is made of,
    not settings of a model."""

    def text(node: cst.BaseExpression) -> bool:
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return bool(node.elements) and all(text(e.value) for e in node.elements)
        if isinstance(node, cst.Dict):
            return bool(node.elements) and all(isinstance(e, cst.DictElement) and text(e.value) for e in node.elements)
        return isinstance(node, (cst.SimpleString, cst.ConcatenatedString))

    swept = {  # `for kernel in KERNELS:` goes over a list of settings (a sweep), not over words
        loop.iter.value for loop in iter_nodes(module, skip=(cst.BaseExpression,))
        if isinstance(loop, cst.For) and isinstance(loop.iter, cst.Name)
    }
    return {
        t.target.value
        for stmt in iter_nodes(module, skip=(cst.BaseExpression,)) if isinstance(stmt, cst.Assign)
        for t in stmt.targets
        if isinstance(t.target, cst.Name) and isinstance(stmt.value, (cst.List, cst.Tuple, cst.Set, cst.Dict))
        and text(stmt.value) and t.target.value not in swept
    }


def _tunable_default(option) -> bool:
    """An argparse option with a number or a plain string default (not a flag, path or None)."""
    if option is None or option.default is None or isinstance(option.default, bool):
        return False
    return not (isinstance(option.default, str) and PATHLIKE_VALUE.search(option.default))


def _literal_text(text: str | None) -> object:
    try:
        return ast.literal_eval(text) if text else None
    except (ValueError, SyntaxError):
        return None


def _string_without_choices(name: str, value: object, original: cst.Module) -> bool:
    """`extrapolation="periodic"`: a string setting with no known set of alternatives is not searched
    (a trial could only guess at values the library may reject)."""
    if not isinstance(value, str):
        return False
    strings = {n.value.strip("\"'") for n in iter_nodes(original) if isinstance(n, cst.SimpleString)}
    imports = {m.split(".")[0] for m in re.findall(r"^\s*(?:from|import)\s+([\w.]+)", original.code, re.MULTILINE)}
    return search_space(name, value, script_strings=strings, imports=imports) is None


def _tunable_literal(text: str) -> bool:
    # Tuples, lists and dicts (a config's sections) are not one setting a trial suggests, and a
    # keyword fed by a variable (`weights=vote_weights`) is searched where the variable is set.
    return not re.fullmatch(r"(True|False|None|\(.*\)|\[.*\]|\{.*\}|[A-Za-z_][\w.]*)", text.strip(), re.DOTALL)


def _scored_on_validation(program: Program, objective) -> list[str]:
    """The study must not select hyperparameters on the test split."""
    evidence = test_split_evidence(program, objective)
    if evidence is None:
        return []
    reason = (
        f"the objective is scored on the test split (`{evidence}`); score it on a validation split "
        "or cross-validation"
    )
    return [reason]


def _direction_fits(program: Program, objective, study: cst.Call) -> list[str]:
    """maximize accuracy-like scores, minimize loss-like ones (Optuna's default is minimize)."""
    given = _keyword(study, "direction")
    if _keyword(study, "directions") is not None:
        return []  # a multi-objective study: one direction per value
    found = score(program, objective)
    if found is None:
        return ["the objective returns no metric"]
    if given is None:
        if found.direction == "maximize":
            reason = (
                f"the study direction is minimize (Optuna's default), but the objective returns "
                f"`{found.label}`, so the study should maximize"
            )
            return [reason]
        if found.direction is None:
            return ['create_study has no direction="maximize" or "minimize"']
        return []
    direction = string_value(given)
    if direction not in ("maximize", "minimize"):
        return ['create_study has no direction="maximize" or "minimize"']
    if found.direction and direction != found.direction:
        reason = (
            f"the study direction is {direction}, but the objective returns `{found.label}`, "
            f"so the study should {found.direction}"
        )
        return [reason]
    return []


def _suggestions_change_the_model(program: Program) -> list[str]:
    """Every suggested value must reach the model's construction or its training (a name suggested
    twice, for the model and again for a log call, counts once)."""
    found = suggestions(program)
    live = {s.name for s in found if s.changes_model}
    return [
        f"the suggested hyperparameter `{s.name}` (trial.{s.method}, line {s.line}) does not change the model: "
        f"{s.dead_end}; pass it to the model, its optimizer or its training"
        for s in found if s.name not in live
    ]


_STUDY_RESULTS = frozenset({"best_params", "best_trial", "best_trials", "best_value"})
_FORMATTING = frozenset({
    "items", "values", "keys", "format", "str", "repr", "dict", "list", "tuple", "sorted", "round",
    "float", "int", "dumps", "join", "get", "copy", "update",
})
_OUTPUT_CALLS = frozenset({"print", "pprint", "info", "warning", "debug", "write", "log_params", "log_param"})


def _best_reported(program: Program) -> bool:
    """Some printed (or logged) value comes from the study's best trial."""

    def from_study(node, _frame) -> str | None:
        if isinstance(node, ast.Attribute) and node.attr in ("best_params", "best_trial", "best_trials"):
            return node.attr
        return None

    def formatting(call: ast.Call) -> bool:  # the printed value is the params, not a model built from them
        return (last_attr(call.func) or "") in _FORMATTING

    for call in program.calls:
        if (last_attr(call.func) or "") not in _OUTPUT_CALLS:
            continue
        frame = Frame(program.unit(call))
        values = [*call.args, *(k.value for k in call.keywords)]
        if any(program.walk(value, frame, from_study, formatting) for value in values):
            return True
    return False


def _runs_after_study(program: Program) -> bool:
    """After `study.optimize(...)`, the script's own work runs again (a final run or a refit): later in
    the same block, or after the `with`/`if` block holding the study."""
    for call in program.calls:
        if last_attr(call.func) != "optimize" or not isinstance(call.func, ast.Attribute):
            continue
        study = root_name(call.func)
        stmt = program.statement(call)
        while isinstance(stmt, ast.stmt):
            above = program.parent.get(id(stmt))
            block = next((v for _, v in ast.iter_fields(above) if isinstance(v, list) and stmt in v), [])
            for later in block[block.index(stmt) + 1 :] if stmt in block else []:
                if isinstance(later, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                    continue
                if any(isinstance(sub, ast.Call) and _does_work(sub, study) for sub in ast.walk(later)):
                    return True
            stmt = above
    return False


def _does_work(call: ast.Call, study: str | None) -> bool:
    name = last_attr(call.func) or ""
    root = root_name(call.func)
    if name in _OUTPUT_CALLS or name in ("len", "str", "repr", "format", "round", "float", "int", "items"):
        return False
    if "FixedTrial" in ast.unparse(call.func):
        return True  # the script's run, replayed with the best trial
    return root not in (study, "optuna", "logging", "logger", "mlflow", "wandb", "json")


def expected_direction(candidate: str, metric_names: list[str]) -> str | None:
    """'maximize'/'minimize' for the objective's score (through its data flow), else from its returned
    expression's or the metrics' names, else None."""
    program = read(candidate)
    found = objectives(program) if program is not None else []
    if found:
        result = score(program, found[0])
        if result is not None and result.direction:
            return result.direction
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
