"""V2/V4 rules for optimize-prune: Linear/Conv weights pruned after training, made permanent, evaluation repeated."""

from __future__ import annotations

import ast
import difflib
import re
from collections import Counter
from dataclasses import dataclass

import libcst as cst

from mlops_adapt.analysis.exprs import calls_in, code, inner_blocks, last_name, names_in, nodes_of
from mlops_adapt.tasks.optimize_prune import SPEC
from mlops_adapt.verify.rules.base import Recommendation, TaskRules
from mlops_adapt.verify.scope import statement_prints

# An added statement that repeats an evaluation or reports a result must not train, write files or track.
_NOT_A_REPORT = re.compile(
    r"(\.backward\(|\.step\(|\.zero_grad\(|\.fit\(|\bsave\w*\(|\.dump\(|\.write\w*\(|\bopen\(|\bremove\(|"
    r"\bunlink\(|rmtree\(|\bsystem\(|\bsubprocess\b|\bmlflow\b|\bwandb\b|(?<!\.)\bexec\(|(?<!\.)\beval\(|\bdel\b)"
)
_TRAINING = re.compile(r"\.backward\(|\.fit\(|\.step\(|\btrain\w*\(")
# Calls that belong to the optimization itself or inspect the model, not to an evaluation of it.
_NOT_EVALUATION = frozenset({
    "global_unstructured", "l1_unstructured", "random_unstructured", "ln_structured", "remove", "is_pruned",
    "quantize_dynamic", "modules", "named_modules", "parameters", "named_parameters", "children",
    "state_dict", "load_state_dict", "isinstance", "print", "type", "save", "sum", "len", "to", "cpu",
    "eval", "train", "cuda", "float", "double", "half", "zero_grad", "requires_grad_", "apply", "buffers",
    "named_buffers", "register_forward_hook", "register_forward_pre_hook", "extra_repr",
})


def is_copy_save(stmt: str) -> bool:
    """`torch.save(model_pruned.state_dict(), "net_pruned.pt")`: the optimized copy saved beside the model
    (or `joblib.dump(pipe, "pipe_pruned.joblib")`, the pipeline holding it)."""
    return bool(re.fullmatch(r"(torch\.save|joblib\.dump)\([^\n]*\)\s*", stmt.strip() + " ")) and "open(" not in stmt


def is_report_statement(stmt: str) -> bool:
    """Repeating an evaluation or printing a result: allowed additions for the optimization tasks."""
    return not _NOT_A_REPORT.search(stmt.replace("prune.remove(", "").replace("torch.save(", ""))


@dataclass
class Site:
    """A statement and the chain of (statement list, index) from its own block up to the module."""

    chain: list[tuple[list[cst.BaseStatement], int]]

    def before(self) -> list[cst.BaseStatement]:
        return [s for block, i in self.chain for s in block[:i]]

    def after(self) -> list[cst.BaseStatement]:
        return [s for block, i in self.chain for s in block[i + 1 :]]


def find_call(module: cst.Module, names: set[str], skip: cst.CSTNode | None = None) -> tuple[Site, cst.Call] | None:
    """The first simple statement calling one of `names` (outside `skip`), with its enclosing statement lists."""

    def walk(block: list[cst.BaseStatement], chain: list) -> tuple[Site, cst.Call] | None:
        for index, stmt in enumerate(block):
            here = [(block, index), *chain]
            if stmt is skip:
                continue
            if isinstance(stmt, cst.SimpleStatementLine):
                for call in calls_in(stmt, lambdas=True):
                    if last_name(call) in names:
                        return Site(here), call
                continue
            for child in inner_blocks(stmt):
                found = walk(child, here)
                if found:
                    return found
        return None

    return walk(list(module.body), [])


def trained_before(site: Site, module: cst.Module | None = None) -> bool:
    """Training (backward, fit, an optimizer step, a train*() call or a call of a function of the
    module that trains) runs before the site. With the module, definitions run nothing (a def that
    trains counts where it is called), and a site inside a function is also judged where that
    function is called (`prune_model(model)` in main(), before or after its training loop)."""
    if module is None:
        return any(_TRAINING.search(code(s)) for s in site.before())
    training = training_functions(module)
    for where in caller_sites(module, site):
        for stmt in where.before():
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            # A training function called, or handed on (`Thread(target=fit_worker)`, `pool.map(train, ...)`).
            if _TRAINING.search(code(stmt)) or names_in(stmt) & training \
                    or any(last_name(c) in training for c in calls_in(stmt, lambdas=True)):
                return True
    return False


def training_functions(module: cst.Module) -> set[str]:
    """Names of the module's functions and methods that train, directly or through another of them."""
    bodies = {f.name.value: f.body for f in nodes_of(module, cst.FunctionDef)}
    found = {name for name, body in bodies.items() if _TRAINING.search(code(body))}
    grown = True
    while grown:
        more = {name for name, body in bodies.items() if name not in found
                and any(last_name(c) in found for c in calls_in(body, lambdas=True))}
        found |= more
        grown = bool(more)
    return found


def caller_sites(module: cst.Module, site: Site) -> list[Site]:
    """The site, then, while it sits in a function of the module, the first statement outside that
    function calling it (`def prune_model(m): prune.l1_unstructured(...)` is called in main(), main()
    under the main guard)."""
    sites, seen = [site], set()
    while True:
        func = next((owner for owner in _owners(sites[-1]) if isinstance(owner, cst.FunctionDef)), None)
        if func is None or func.name.value in seen:
            return sites
        seen.add(func.name.value)
        found = _first_call_outside(module, func)
        if found is None:
            return sites
        sites.append(found)


def _owners(site: Site) -> list[cst.CSTNode]:
    """The compound statements holding the site, innermost first."""
    return [block[index] for block, index in site.chain[1:]]


def _first_call_outside(module: cst.Module, func: cst.FunctionDef) -> Site | None:
    """The first simple statement, outside `func`, calling it by name (or as a method of the same name)."""
    found = find_call(module, {func.name.value}, skip=func)
    return found[0] if found else None


def added_functions(original: cst.Module, candidate: cst.Module) -> set[str]:
    """Functions the candidate defines and the original does not (a model-size helper, say)."""
    def defined(module: cst.Module) -> set[str]:
        return {f.name.value for f in nodes_of(module, cst.FunctionDef)}

    return defined(candidate) - defined(original)


def evaluated_after(site: Site, models: set[str], original: cst.Module, candidate: cst.Module) -> bool:
    """After the site, a statement runs the model (or passes it to a function) for a new result.

    Statements that merely exist in the original as often as in the candidate do not count: they
    ran before the change too (a save after the pruning is not an evaluation of it).
    """
    before, after = Counter(statement_prints(original)), Counter(statement_prints(candidate))
    runners = _functions_running(candidate, models)
    holders = _holders(original, models)
    # A function the edit adds and that never runs the model (`state_dict_megabytes(q)`) measures
    # it; it does not evaluate it.
    measuring = added_functions(original, candidate) - runners
    for stmt in site.after():
        prints = statement_prints(cst.Module(body=[stmt]))
        if prints and all(after[p] <= before[p] for p in prints):
            continue
        for call in calls_in(stmt, lambdas=True):
            short = last_name(call) or ""
            if short in _NOT_EVALUATION or short in measuring:
                continue
            # `score(model)`, or a copy swapped into an attribute: `score(wrapped.module)`.
            if code(call.func) in models or any(names_in(a.value) & models or code(a.value) in models
                                                for a in call.args):
                return True
            if isinstance(call.func, cst.Attribute) and code(call.func.value) in models \
                    and not _TRAINING.search(f".{short}("):
                return True  # the model's own evaluation method: `net.predict(x)`, `model.score(X, y)`
            if short in runners and not _TRAINING.search(short + "("):
                return True  # e.g. `evaluate()` or `self.evaluate()` reading the model itself
            if isinstance(call.func, cst.Attribute) and code(call.func.value) in holders \
                    and not _TRAINING.search(f".{short}("):
                return True  # `pipe.score(X, y)` with the copy in `net.module_`, a step of `pipe`
    return False


def evaluated_after_any(sites: list[Site], models: set[str], original: cst.Module, candidate: cst.Module) -> bool:
    """evaluated_after at the site or at a call of the function holding it (caller_sites)."""
    return any(evaluated_after(site, models, original, candidate) for site in sites)


def _holders(module: cst.Module, models: set[str]) -> set[str]:
    """The objects that hold a model kept in an attribute (`net` for `net.module_`), and those the
    script takes them from (`pipe` for `net = pipe.named_steps["net"]`): their methods run the model."""
    found = {m.split(".", 1)[0] for m in models if re.fullmatch(r"\w+(\.\w+)+", m)} - {"self"}
    for node in nodes_of(module, cst.Assign):
        if len(node.targets) == 1 and code(node.targets[0].target) in found \
                and isinstance(node.value, (cst.Subscript, cst.Attribute)) and not calls_in(node.value):
            root = re.match(r"\w+", code(node.value))
            if root:
                found.add(root.group(0))
    return found


def _functions_running(module: cst.Module, models: set[str]) -> set[str]:
    """Functions and methods whose body calls the model (`model(x)`, `self.model(x)`)."""
    found: set[str] = set()
    for node in nodes_of(module, cst.FunctionDef):
        for call in calls_in(node.body, lambdas=True):
            func = code(call.func)
            if func in models or re.fullmatch(r"self\.\w*(model|net)\w*", func, re.IGNORECASE):
                found.add(node.name.value)
                break
    return found


def optimization_problems(original: cst.Module, candidate: cst.Module, site: Site, verb: str) -> list[str]:
    """Shapes shared by both optimizations that print what the script never computed, or lose the result.

    - A print added after a training loop that reads the loop's own variable (`epoch`) states a
      line about an epoch that never ran with that model.
    - When the script saves its model, the optimized one should be saved too (a recommendation).
    """
    problems: list[str] = []
    before = Counter(statement_prints(original))
    for loop in nodes_of(candidate, cst.For):
        if not _TRAINING.search(code(loop.body)):
            continue
        loop_vars = names_in(loop.target)
        for stmt in _following(candidate, loop):
            prints = statement_prints(cst.Module(body=[stmt]))
            if not prints or all(before[p] > 0 for p in prints):
                continue
            for call in calls_in(stmt, lambdas=True):
                read = _read_by(call) & loop_vars
                if last_name(call) == "print" and read:
                    problems.append(
                        f"a print added after the training loop reads its variable "
                        f"`{', '.join(sorted(read))}`: a line about an epoch the "
                        f"{verb} model never had"
                    )
                    break
    saves = [c for c in calls_in(original, lambdas=True) if code(c.func) == "torch.save"]
    if saves and len([c for c in calls_in(candidate, lambdas=True) if code(c.func) == "torch.save"]) <= len(saves):
        problems.append(Recommendation(f"the script saves its model, but the {verb} model is not saved"))
    return problems


def _read_by(call: cst.Call) -> set[str]:
    """Names the call reads from outside: not those its own comprehensions bind (`for w, i in zip(...)`)."""
    own = {n for comp in nodes_of(call, cst.CompFor) for n in names_in(comp.target)}
    return names_in(call) - own


def _following(module: cst.Module, loop: cst.For) -> list[cst.BaseStatement]:
    """The statements after the loop in its own block (and the blocks around it)."""
    def walk(block: list[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        for index, stmt in enumerate(block):
            if stmt is loop:
                return list(block[index + 1:])
            for inner in inner_blocks(stmt) if not isinstance(stmt, cst.SimpleStatementLine) else []:
                found = walk(inner)
                if found is not None:
                    return found + list(block[index + 1:])
        return None

    return walk(list(module.body)) or []


def model_names(facts, candidate: cst.Module, call: cst.Call | None) -> set[str]:
    """Names that may hold the model: the trained torch models, and the optimized copy's name."""
    names = {m.var for m in facts.models if m.framework == "torch"} | {"model", "net", "self"}
    if call is not None:
        names |= {code(a.value).split(".")[0] for a in call.args[:1]}
    for stmt in _assignments_of(candidate, call):
        names.add(stmt)
    return names


def pruned_models(original: cst.Module, candidate: cst.Module) -> set[str]:
    """Models whose layers the added code walks (`clf.modules()`, `trainer.model.named_modules()`)."""
    def receivers(module: cst.Module) -> set[str]:
        return {
            code(c.func.value) for c in calls_in(module, lambdas=True)
            if isinstance(c.func, cst.Attribute) and c.func.attr.value in ("modules", "named_modules", "children")
        }

    return with_aliases(candidate, receivers(candidate) - receivers(original))


def with_aliases(module: cst.Module, names: set[str]) -> set[str]:
    """The names and every name bound to one of them (`model = model_pruned` swaps the copy in)."""
    found = set(names)
    changed = True
    while changed:
        changed = False
        for node in nodes_of(module, cst.Assign):
            value = code(node.value)
            if value in found:
                for target in node.targets:
                    name = code(target.target)
                    if name not in found and re.fullmatch(r"[\w.]+", name):
                        found.add(name)
                        changed = True
    return found


def _assignments_of(module: cst.Module, call: cst.Call | None) -> list[str]:
    if call is None:
        return []
    return [
        name for node in nodes_of(module, cst.Assign) if node.value is call
        for target in node.targets for name in sorted(names_in(target.target))
    ]


def _no_pruning_call(candidate: cst.Module, pruners: set[str]) -> str:
    """Why no pruning call counts; a misspelt one (`prune.l1_ungstructured`) is named, not ignored."""
    message = "no unstructured pruning call (prune.global_unstructured or prune.l1_unstructured) was added"
    called = sorted({last_name(c) or "" for c in calls_in(candidate, lambdas=True)} - pruners)
    near = [(name, difflib.get_close_matches(name, sorted(pruners), n=1, cutoff=0.8)) for name in called]
    misspelt = [f"`{name}` (did you mean {close[0]}?)" for name, close in near if close]
    return f"{message}: {', '.join(misspelt)} is not a pruning function" if misspelt else message


# `layer.__class__ = ...` and `cls.__bases__`: a copied parametrized layer given a class of its own
# before its parametrizations are removed (deepcopy shares the class with the trained model's layer).
_OWN_CLASS = re.compile(r"[A-Za-z_]\w*\.__(class|bases)__")
# The one statement that may use them (runtime.own_class, quantize's folded_copy, register's
# _plain_copy), right after `C = type(X)`: X gets a clone of its own class, so it behaves the same.
_OWN_CLASS_SHAPE = (
    "{x}.__class__ = type({c}.__name__, {c}.__bases__, "
    "{{{k}: {v} for {k}, {v} in vars({c}).items() if {k} not in ('__dict__', '__weakref__')}})"
)
_CLASS_DUNDERS = ("__class__", "__bases__")


def gives_a_copy_its_own_class(use) -> bool:
    """A capability use that only reads or sets a plain name's class or its bases (no chain such as
    `x.__class__.__bases__[0].__subclasses__()`, the sandbox escape, which stays refused).

    V2 sees one use at a time; class_changes_beyond_own_copy (V4) admits only the recipe's exact statement."""
    return use.kind == "dynamic code" and _OWN_CLASS.fullmatch(use.text) is not None


def _own_class_statement(stmt: ast.stmt, previous: ast.stmt | None) -> list[ast.Attribute]:
    """The `X.__class__` target and `C.__bases__` read of the own-class statement, after `C = type(X)`; else []."""
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Attribute)
            and isinstance(stmt.targets[0].value, ast.Name) and isinstance(stmt.value, ast.Call)
            and len(stmt.value.args) == 3 and isinstance(stmt.value.args[2], ast.DictComp)):
        return []
    x = stmt.targets[0].value.id
    names = [n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)]
    comp = stmt.value.args[2].generators[0].target if stmt.value.args[2].generators else None
    if len(names) < 2 or not isinstance(comp, ast.Tuple) or len(comp.elts) != 2 \
            or not all(isinstance(e, ast.Name) for e in comp.elts):
        return []
    c, k, v = names[1], comp.elts[0].id, comp.elts[1].id
    shape = ast.parse(_OWN_CLASS_SHAPE.format(x=x, c=c, k=k, v=v)).body[0]
    made = ast.parse(f"{c} = type({x})").body[0]
    if ast.dump(stmt) != ast.dump(shape) or previous is None or ast.dump(previous) != ast.dump(made):
        return []
    return [stmt.targets[0], stmt.value.args[1]]


def _class_dunder_uses(tree: ast.AST) -> Counter:
    """(text, set or read) of each `__class__`/`__bases__` attribute outside the own-class statement."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                for index, stmt in enumerate(block):
                    allowed |= {id(a) for a in _own_class_statement(stmt, block[index - 1] if index else None)}
    return Counter(
        (ast.unparse(n), "sets" if isinstance(n.ctx, (ast.Store, ast.Del)) else "reads")
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and n.attr in _CLASS_DUNDERS and id(n) not in allowed
    )


def _bound_builtins(tree: ast.AST) -> set[str]:
    """`type` or `vars` rebound by the module: the own-class statement would then call something else."""
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))}
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    bound |= {a.asname or a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    return bound & {"type", "vars"}


def class_changes_beyond_own_copy(original: cst.Module, candidate: cst.Module) -> list[str]:
    """Uses of `__class__`/`__bases__` the edit adds, other than giving a copied layer a clone of its own class.

    V2 lets those attributes through one by one; here the whole statement must be the recipe's own
    (a hostile edit could swap the evaluated model's class for one that replays the dense model's
    outputs, or rewrite a torch class's bases for every model)."""
    try:
        before, after = ast.parse(original.code), ast.parse(candidate.code)
    except (SyntaxError, ValueError, RecursionError):
        return []
    problems = [
        f"capability: the edit {how} `{text}` other than to give a copied layer a clone of its own class "
        f"(`C = type(layer)`, then `layer.__class__ = type(C.__name__, C.__bases__, ...vars(C)...)`)"
        for (text, how) in (_class_dunder_uses(after) - _class_dunder_uses(before)).elements()
    ]
    if "__class__" in candidate.code:
        problems += [f"the edit rebinds the builtin `{name}`, which the own-class copy calls"
                     for name in sorted(_bound_builtins(after) - _bound_builtins(before))]
    return list(dict.fromkeys(problems))


# Methods that decide what evaluating a model computes: replaced on an instance or a class, the figures
# printed "after pruning" need not come from the pruned weights at all.
_RUNNING_METHODS = frozenset({
    "forward", "__call__", "_call_impl", "predict", "predict_proba", "decision_function", "score",
    "transform", "__getattr__", "__getattribute__",
})


def method_patches(original: cst.Module, candidate: cst.Module) -> list[str]:
    """Assignments the edit adds that replace behaviour rather than data: a model's (or any object's)
    `forward`/`predict`..., an attribute of `type(x)` or of a class the script defines."""
    def patched(source: str) -> Counter:
        tree = ast.parse(source)
        classes = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        targets = [t for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets]
        targets += [n.target for n in ast.walk(tree) if isinstance(n, (ast.AugAssign, ast.AnnAssign))]
        flat = [e for t in targets for e in (t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t])]
        return Counter(
            ast.unparse(t) for t in flat if isinstance(t, ast.Attribute) and (
                t.attr in _RUNNING_METHODS or isinstance(t.value, ast.Call)
                or (isinstance(t.value, ast.Name) and t.value.id in classes))
        )
    try:
        added = patched(candidate.code) - patched(original.code)
    except (SyntaxError, ValueError, RecursionError):
        return []
    return [f"the edit replaces `{text}`: patching a model's or a class's methods changes what the evaluation "
            "runs, so its figures need not come from the optimized weights" for text in sorted(added)]


class OptimizePruneRules(TaskRules):
    TASK = SPEC.id
    SCOPE = "additive"

    HELPER_NAMES = frozenset({"copy", "os"})

    def allowed_addition(self, added_stmt: str) -> bool:
        return is_report_statement(added_stmt) or is_copy_save(added_stmt)

    def allowed_capability(self, use) -> bool:
        return gives_a_copy_its_own_class(use)

    def postconditions(self, original, candidate, facts, options):
        if "torch" not in facts.imports:
            return ["the script has no torch model to prune"]
        foreign = class_changes_beyond_own_copy(original, candidate) + method_patches(original, candidate)
        if foreign:
            return foreign
        pruners = {"global_unstructured", "l1_unstructured", "random_unstructured"}
        found = find_call(candidate, pruners)
        if found is None:
            return [_no_pruning_call(candidate, pruners)]
        site, call = found
        problems: list[str] = []
        amount = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "amount"), None)
        try:
            value = float(code(amount)) if amount is not None else 0.0
        except ValueError:
            value = 1.0  # an expression cannot be read statically; assume it is positive
        if not value > 0:
            problems.append("the pruning amount is not greater than 0")
        if "Linear" not in code(candidate) and "Conv" not in code(candidate):
            problems.append("the pruned parameters are not the Linear/Conv weights")
        rest = "".join(code(s) for s in site.after()) + code(site.chain[0][0][site.chain[0][1]])
        if "remove(" not in rest:
            problems.append("the pruning is not made permanent with prune.remove")
        if not trained_before(site, candidate):
            problems.append("the model is pruned before it is trained")
        elif facts.metrics and not evaluated_after_any(
            caller_sites(candidate, site), model_names(facts, candidate, None) | pruned_models(original, candidate),
            original, candidate,
        ):
            problems.append("the evaluation is not repeated after pruning")
        return problems + optimization_problems(original, candidate, site, "pruned")
