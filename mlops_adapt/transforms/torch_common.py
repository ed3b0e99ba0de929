"""Shared planning for the torch optimization recipes: find the trained model, repeat its evaluation after a change."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor

from mlops_adapt.analysis.exprs import (
    after_imports,
    assigned_names,
    calls_in,
    code,
    fresh_name,
    inner_blocks,
    last_name,
    names_in,
    nodes_of,
    string_value,
)
from mlops_adapt.analysis.scan import Scan, scan_module
from mlops_adapt.analysis.torch_eval import EvalPlan, global_best_guards, plan_evaluation
from mlops_adapt.transforms.base import SkipFile, Unsupported
from mlops_adapt.transforms.rewriter import EditPlan, apply_plan
from mlops_adapt.vocabulary import is_metric_name


class _Rename(cst.CSTTransformer):
    """Renames bare names (not attributes or keyword names)."""

    def __init__(self, mapping: dict[str, str]) -> None:
        super().__init__()
        self.mapping = mapping

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        new = self.mapping.get(updated_node.value)
        return updated_node.with_changes(value=new) if new else updated_node

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)


def repeated(statements: list[cst.BaseStatement], mapping: dict[str, str]) -> list[cst.BaseStatement]:
    """The statements with names renamed, each without its leading comments and blank lines."""
    out = []
    for stmt in statements:
        renamed = stmt.visit(_Rename(mapping))
        if hasattr(renamed, "leading_lines"):
            renamed = renamed.with_changes(leading_lines=())
        out.append(renamed)
    return out


def torch_plan(tree: cst.Module, scan: Scan | None = None) -> EvalPlan:
    """The evaluation plan of a torch training script; SkipFile when there is no trained torch model.

    `scan` is the recipe's cached scan of `tree` (Recipe.scan); without it the tree is scanned here."""
    scan = scan or scan_module(tree)
    if "torch" not in scan.imported_modules:
        raise SkipFile("nothing to adapt: the script does not use torch")
    plan = plan_evaluation(tree, scan)
    if plan is None:
        wrapped = _distributed_wrapper(tree)
        if wrapped is not None:
            raise Unsupported(
                f"the model is trained wrapped in DistributedDataParallel (`{wrapped}`), inside a worker "
                "function with its own process group: the recipe does not optimize a distributed model "
                "(its underlying `.module` would have to be optimized on rank 0 before destroy_process_group)"
            )
        functional = _functional_training(tree)
        if functional is not None:
            raise Unsupported(
                f"the script trains functional parameters (`{functional}`), not a module: the trained weights are "
                "tensors passed to torch.func.functional_call, and a module built from them after training is "
                "not evaluated by the script, so there is no evaluation to repeat on an optimized copy"
            )
        if scan.torch_loops or "backward(" in tree.code:
            raise Unsupported("the script trains with torch, but the trained model could not be located "
                              "(a variable or self attribute assigned from an nn.Module)")
        raise SkipFile("nothing to adapt: no trained torch model was found")
    if not plan.repeat and plan.model.endswith(".module") and _distributed_wrapper(tree) is not None:
        raise Unsupported(
            f"the model is trained wrapped in DistributedDataParallel and never evaluated through its "
            f"`{plan.model}` after training: evaluating the optimized copy through the wrapper would need "
            "its process group and would sync gradients with the other ranks"
        )
    return plan


def _functional_training(tree: cst.Module) -> str | None:
    """The first `stack_module_state(...)` or `functional_call(...)` call: an ensemble (vmap) or
    functional model whose weights the optimizer trains as plain tensors, outside any module."""
    for call in calls_in(tree):
        if last_name(call) in ("stack_module_state", "functional_call"):
            text = code(call)
            return text if len(text) <= 60 else text[:57] + "..."
    return None


def _distributed_wrapper(tree: cst.Module) -> str | None:
    """The first `ddp_model = DistributedDataParallel(model)` (or its alias `DDP(...)`), as written."""
    for assign in nodes_of(tree, cst.Assign):
        if isinstance(assign.value, cst.Call) and last_name(assign.value) in ("DistributedDataParallel", "DDP"):
            return code(assign).strip()
    return None


def metric_names(plan: EvalPlan) -> list[str]:
    """The bound names of the repeated evaluation that hold results worth comparing."""
    # Not plurals (`losses`, `accs`: curves), but `loss` and `te_loss` are single results.
    return [n for n in plan.assigned if is_metric_name(n) and not re.search(r"(?<!s)s$", n)] or [
        n for n in plan.assigned if is_metric_name(n)
    ]


_BARE_LAYERS = ("Linear", "Bilinear", "LazyLinear", "Conv1d", "Conv2d", "Conv3d", "LSTM", "GRU", "RNN")


def is_bare_layer(tree: cst.Module, model: str) -> bool:
    """True when the model is one layer (`model = nn.Linear(4, 1)`): it has no children, so module-swapping
    APIs such as quantize_dynamic, which convert children only, leave it unchanged."""
    own_classes = {c.name.value for c in nodes_of(tree, cst.ClassDef)}  # the script's `class RNN(nn.Module)`
    if model.endswith(".module"):
        # `wrapped = DistributedDataParallel(nn.Linear(3, 1))`: the wrapped model is the wrapper's argument.
        wrapper = model.rsplit(".", 1)[0]
        for node in nodes_of(tree, cst.Assign):
            if len(node.targets) == 1 and code(node.targets[0].target) == wrapper and isinstance(node.value, cst.Call) \
                    and last_name(node.value) in ("DistributedDataParallel", "DDP") and node.value.args:
                inner = node.value.args[0].value
                if isinstance(inner, cst.Name):
                    return is_bare_layer(tree, inner.value)
                if isinstance(inner, cst.Call):
                    called = code(inner.func)
                    short = called.rsplit(".", 1)[-1]
                    return short in _BARE_LAYERS and short not in own_classes and ("nn." in called or "." not in called)
    target = model.rsplit(".", 1)[-1]
    found: list[bool] = []
    for node in nodes_of(tree, cst.Assign):
        if len(node.targets) != 1:
            continue
        t = node.targets[0].target
        name = t.value if isinstance(t, cst.Name) else t.attr.value if isinstance(t, cst.Attribute) else None
        if name != target or not isinstance(node.value, cst.Call):
            continue
        value = node.value
        while isinstance(value.func, cst.Attribute) and value.func.attr.value in ("to", "cpu", "float", "double") \
                and isinstance(value.func.value, cst.Call):
            value = value.func.value
        called = code(value.func)
        short = called.rsplit(".", 1)[-1]
        found.append(short in _BARE_LAYERS and short not in own_classes and ("nn." in called or "." not in called))
    return bool(found) and all(found)


def unregistered_layer_lists(tree: cst.Module, model: str) -> list[str]:
    """Attributes in which the model's class keeps layers in a plain Python list (`self.layers = []`,
    then `self.layers.append(Layer(...))`): torch registers no module held that way, so
    `model.modules()` and module-swapping APIs do not reach them."""
    classes = {c.name.value: c for c in nodes_of(tree, cst.ClassDef)}
    built = set()
    for node in nodes_of(tree, cst.Assign):
        if len(node.targets) == 1 and code(node.targets[0].target) == model and isinstance(node.value, cst.Call):
            value = node.value
            while isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Call) \
                    and value.func.attr.value in ("to", "cpu", "float", "double"):
                value = value.func.value
            built.add(code(value.func).rsplit(".", 1)[-1])
    found: list[str] = []
    for name in sorted(built & set(classes)):
        cls = classes[name]
        plain: set[str] = set()
        holding: set[str] = set()
        for assign in nodes_of(cls, cst.Assign):
            target = assign.targets[0].target if len(assign.targets) == 1 else None
            if isinstance(target, cst.Attribute) and code(target.value) == "self" \
                    and isinstance(assign.value, (cst.List, cst.ListComp)):
                plain.add(target.attr.value)
                if any(_builds_layer(c) for c in calls_in(assign.value)):
                    holding.add(target.attr.value)
        for call in calls_in(cls):
            func = call.func
            if isinstance(func, cst.Attribute) and func.attr.value in ("append", "extend", "insert") \
                    and isinstance(func.value, cst.Attribute) and code(func.value.value) == "self" \
                    and any(_builds_layer(c) for a in call.args for c in calls_in(a.value)):
                holding.add(func.value.attr.value)
        found += sorted(plain & holding)
    return found


def _builds_layer(call: cst.Call) -> bool:
    """A class instantiation (`nn.Linear(...)`, `GoodnessLayer(...)`): a capitalized callee."""
    return code(call.func).rsplit(".", 1)[-1][:1].isupper()


@dataclass(frozen=True)
class Optimization:
    """What sets one optimization apart: its labels, the names of the two models, the lines making the copy."""

    verb: str  # "pruning"
    suffix: str  # the optimized copy's name suffix and file suffix: "pruned"
    kept_suffix: str  # the original model's second name: "dense"
    before: str  # label of a result before the change: "before pruning"
    after: str  # and after it: "after pruning"
    # Drop repeated statements that read these attributes of the model (a quantized Linear's
    # `weight` is a method): repeated on the copy they would fail, and they are not evaluation.
    unreadable: tuple[str, ...] = ()


def optimize_copy(
    recipe, tree: cst.Module, plan: EvalPlan, opt: Optimization,
    make: Callable[[str, str], list[cst.BaseStatement]], imports: tuple[tuple[str, str | None], ...] = (),
) -> cst.Module:
    """The module with an optimized copy of the trained model after the plan's insertion point.

    The original model is kept as it is (`model_dense = model`); `make(kept, optimized)` gives the
    statements that build the optimized copy, which need `imports` ((module, name or None) pairs).
    The script's own evaluation runs again with the copy in the model's place, the original is put
    back for the rest of the script, and where the script saves its model the copy is saved beside
    it (`net.pt` -> `net_pruned.pt`).
    """
    for module, name in (("torch", None), *imports):
        AddImportsVisitor.add_needed_import(recipe.context, module, name)
    new = _with_optimized_copy(recipe, tree, plan, opt, make)
    if "os.path.splitext" in new.code and "os" not in recipe.scan(tree).imported_modules:
        AddImportsVisitor.add_needed_import(recipe.context, "os")  # a copy saved beside a computed path
    return new


def _with_optimized_copy(
    recipe, tree: cst.Module, plan: EvalPlan, opt: Optimization,
    make: Callable[[str, str], list[cst.BaseStatement]],
) -> cst.Module:
    taken = set(names_of(tree))
    m = plan.model
    base = m.rsplit(".", 1)[-1].strip("_") or "model"  # `net.module_` -> module_dense, module_pruned
    kept, optimized = _fresh(f"{base}_{opt.kept_suffix}", taken), _fresh(f"{base}_{opt.suffix}", taken)
    mapping = {name: _fresh(f"{name}_{opt.suffix}", taken) for name in plan.assigned}
    repeat = [s for s in plan.repeat if not _reads_attributes(s, m, opt.unreadable)]
    repeat = _without_outside_mutations(_without_weight_loads(tree, repeat, m))
    lines: list[cst.BaseStatement] = []
    before_names: dict[str, str] = {}
    guard_before, guard_after = _running_best_kept(tree, repeat, taken)
    if plan.needs_before and repeat:
        # The evaluation ran inside a training function or a conditional: run it here for the
        # "before" figures, under new names: rebinding the script's `acc` would change what it
        # prints with it later (the last epoch may not have been evaluated).
        before_names = {name: _fresh(f"{name}_{opt.kept_suffix}", taken) for name in plan.assigned}
        lines += [_print(f"Evaluation before {opt.verb}:"), *guard_before,
                  *repeated(repeat, {**plan.renames, **before_names}), *guard_after]
    made = make(kept, optimized)
    # The comment above the first made line introduces the whole change: it goes above `kept = model`.
    lines += [cst.parse_statement(f"{kept} = {m}").with_changes(leading_lines=made[0].leading_lines),
              made[0].with_changes(leading_lines=()), *made[1:]]
    if repeat:
        lines += [cst.parse_statement(f"{m} = {optimized}"), _print(f"Evaluation after {opt.verb}:")]
        lines += [*guard_before, *repeated(repeat, {**plan.renames, **mapping}), *guard_after]
        bound = [n for n in plan.assigned if any(n in _binds_names(s) for s in repeat) and n not in plan.tools]
        # Results under other names (`metrics = trainer.evaluate(...)`) are compared too: the
        # repeated evaluation may print nothing itself (its print read the loop's `epoch`).
        final = _final_values(repeat, m)
        # Results, not per-batch values (`loss` of a loader loop's last batch) when there are results.
        metrics = [n for n in metric_names(plan) if n in bound]
        names = [n for n in metrics if n in final] or metrics or [
            n for n in bound if n in final and n not in _model_free(tree, repeat, m, set(plan.renames))]
        lines += [compare_line(n, mapping[n], opt.before, opt.after, before_names.get(n, n), _plain_number(tree, repeat, n))
                  for n in names]
        # An object holding the model in an attribute (a fitted pipeline) is saved with the copy in it.
        lines += [_with_suffix(save, opt.suffix) for save in holder_saves(tree, plan)]
        lines.append(cst.parse_statement(f"{m} = {kept}"))
    else:
        recipe.warn(f"no evaluation of the trained model was found to repeat after {opt.verb}")
    edits = EditPlan()
    for line in lines:
        edits.add_after(plan.insert_after, line)
    added: set[str] = set()
    for save, where in model_saves(tree, plan):
        copy_save = saved_copy(save, m, optimized, opt.suffix, only_model=where == "loop")
        if copy_save is None or code(copy_save) in added:
            continue
        added.add(code(copy_save))
        if where == "after":
            edits.add_after(save, copy_save)
        else:
            edits.add_after(plan.insert_after, copy_save)
    return apply_plan(tree, edits)


def _running_best_kept(tree: cst.Module, repeat: list[cst.BaseStatement],
                       taken: set[str]) -> tuple[list[cst.BaseStatement], list[cst.BaseStatement]]:
    """Lines around a repeated call of a function that keeps a running best in a global
    (`global best_acc` ... `if acc > best_acc:` checkpoint): the best is set so that branch cannot
    run, then put back. Repeated, the evaluation neither checkpoints the other model nor changes
    the best the script prints later."""
    functions = {f.name.value: f for f in tree.body if isinstance(f, cst.FunctionDef)}
    called = {last_name(c) for s in repeat for c in calls_in(s)}
    before: list[cst.BaseStatement] = []
    after: list[cst.BaseStatement] = []
    for name in sorted(n for n in called if n in functions):
        for best, (value, _) in global_best_guards(functions[name]).items():
            kept = _fresh(f"{best}_kept", taken)
            before += [cst.parse_statement(f"{kept} = {best}"), cst.parse_statement(f"{best} = {value}")]
            after.append(cst.parse_statement(f"{best} = {kept}"))
    if before:
        before[0] = commented(before[0], "Keep the script's running best and checkpoint: the branch for a new best does not run.")
    return before, after


def _fresh(name: str, taken: set[str]) -> str:
    found = fresh_name(name, taken)
    taken.add(found)
    return found


def _print(text: str) -> cst.BaseStatement:
    return cst.parse_statement(f"print({text!r})".replace("'", '"'))


def _binds_names(stmt: cst.BaseStatement) -> set[str]:
    return {n for t in nodes_of(stmt, cst.AssignTarget) for n in names_in(t.target)}


def _final_values(statements: list[cst.BaseStatement], model: str) -> set[str]:
    """Names that hold a result once the statements have run: accumulators (`hits += ...`) and
    names bound outside any loop; not a loop's per-item values (`guess`, `line`), nor the model's
    raw outputs (`sample = model.decode(z)`: printed whole, a tensor says nothing), nor an estimator
    fitted on them (`knn = KNeighborsClassifier(1).fit(...)`: its repr is no result), nor `_`."""
    found: set[str] = set()

    def walk(node: cst.CSTNode, in_loop: bool) -> None:
        if isinstance(node, (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            in_loop = True
        if isinstance(node, cst.AugAssign):
            found.update(assigned_names(node.target))
        if isinstance(node, cst.Assign) and not in_loop and not _is_tensor(node.value, model) \
                and not _empty_containers(node.value) \
                and not (isinstance(node.value, cst.Call) and last_name(node.value) == "fit"):
            for target in node.targets:
                found.update(assigned_names(target.target))
        for child in node.children:
            walk(child, in_loop)

    for stmt in statements:
        walk(stmt, False)
    return {n for n in found if not n.startswith("_")}


def _model_free(tree: cst.Module, statements: list[cst.BaseStatement], model: str,
                renamed: set[str] = frozenset()) -> set[str]:
    """Names the statements bind without the model: the inputs they prepare (`x, lengths = prepare(...)`)
    and lookup tables. They are the same for both models, so comparing them says nothing.
    `renamed`: names the repeated statements read in the model's holder's place (`self` of a method)."""
    roots = {model.split(".", 1)[0], "self", *renamed}
    running = {f.name.value for f in nodes_of(tree, cst.FunctionDef) if roots & names_in(f)}
    derived = set(roots)
    free: set[str] = set()
    for stmt in statements:
        for node in nodes_of(stmt, (cst.Assign, cst.AugAssign, cst.Call)):
            if isinstance(node, cst.Call):
                # A list filled with the model's outputs (`guessed.extend(model(x)...)`) is not model-free.
                holder = node.func.value if isinstance(node.func, cst.Attribute) else None
                if isinstance(holder, cst.Name) and any(
                        names_in(a.value) & derived or {last_name(c) for c in calls_in(a.value)} & running
                        for a in node.args):
                    derived.add(holder.value)
                continue
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            bound = {n for t in targets for n in assigned_names(t)}
            if names_in(node.value) & derived or {last_name(c) for c in calls_in(node.value)} & running:
                derived |= bound
            else:
                free |= bound
    return free - derived


def _empty_containers(value: cst.BaseExpression) -> bool:
    """`[]`, `{}` or `[], []`: lists the evaluation fills (all predictions), not a result to print."""
    if isinstance(value, cst.Tuple):
        return bool(value.elements) and all(_empty_containers(e.value) for e in value.elements)
    return isinstance(value, (cst.List, cst.Dict, cst.Set)) and not value.elements


def _is_tensor(value: cst.BaseExpression, model: str) -> bool:
    """A call of the model or of one of its methods (`model(x)`, `model.decode(z)`), or of torch."""
    if not isinstance(value, cst.Call):
        return False
    func = code(value.func)
    return func == model or func.startswith((f"{model}.", "torch.", "F.", "nn."))


_MUTATING = frozenset({"append", "extend", "insert", "update", "add", "pop", "remove", "setdefault", "clear",
                       "appendleft", "discard", "write", "writerow", "log", "add_scalar"})


def _root(expr: cst.BaseExpression) -> str | None:
    while isinstance(expr, (cst.Attribute, cst.Subscript, cst.Call)):
        expr = expr.func if isinstance(expr, cst.Call) else expr.value
    return expr.value if isinstance(expr, cst.Name) else None


def _without_outside_mutations(statements: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The statements, without those that change the script's own objects (`history.append(acc)`,
    `results["acc"] = acc`): run again they would add the optimized model's figures to the
    script's curves and its best-so-far, and change what it prints or plots later."""
    local: set[str] = set()
    kept = []
    for stmt in statements:
        outside = False
        for call in calls_in(stmt):
            if isinstance(call.func, cst.Attribute) and call.func.attr.value in _MUTATING:
                root = _root(call.func.value)
                outside = outside or (root is not None and root not in local)
        for target in nodes_of(stmt, cst.AssignTarget):
            if isinstance(target.target, (cst.Subscript, cst.Attribute)):
                root = _root(target.target)
                outside = outside or (root is not None and root not in local)
        if not outside:
            kept.append(stmt)
            local |= _binds_names(stmt) | {n for f in nodes_of(stmt, cst.For) for n in names_in(f.target)}
    return kept


def _weight_loaders(tree: cst.Module) -> set[str]:
    """Names of the script's functions and methods that load weights into a model (`load_state_dict`),
    directly or through another such function: an EMA's `apply_shadow(model)`, `restore(model)`."""
    bodies = {f.name.value: f.body for f in nodes_of(tree, cst.FunctionDef)}
    found: set[str] = set()
    grew = True
    while grew:
        grew = False
        for name, body in bodies.items():
            if name not in found and any(last_name(c) in found | {"load_state_dict"} for c in calls_in(body)):
                found.add(name)
                grew = True
    return found


def _without_weight_loads(tree: cst.Module, statements: list[cst.BaseStatement],
                          model: str) -> list[cst.BaseStatement]:
    """The statements, without bare calls that load weights into the model (`model.load_state_dict(sd)`,
    `ema.apply_shadow(model)`): the copy was made after they ran, so it holds those weights already;
    run again on the copy they would write dense float weights over the pruned or quantized ones."""
    loaders = _weight_loaders(tree) | {"load_state_dict"}
    kept = []
    for stmt in statements:
        loads = (
            isinstance(stmt, cst.SimpleStatementLine)
            and all(isinstance(small, cst.Expr) for small in stmt.body)
            and any(last_name(c) in loaders and mentions_name(c, model) for c in calls_in(stmt))
        )
        if not loads:
            kept.append(stmt)
    return kept


def _reads_attributes(stmt: cst.BaseStatement, model: str, attributes: tuple[str, ...]) -> bool:
    if not attributes:
        return False
    pattern = rf"(?<![\w.]){re.escape(model)}(\.\w+)*\.({'|'.join(attributes)})\b"
    return bool(re.search(pattern, code(stmt)))


def model_saves(tree: cst.Module, plan: EvalPlan) -> list[tuple[cst.SimpleStatementLine, str]]:
    """`torch.save(model...)` statements in the scope of the insertion point, each with "after" when it
    runs after it (the copy is saved right after it), "before" when it is an unconditional
    statement of the same block before it, or "loop" when a training loop before it saves the
    model (a best-epoch checkpoint): those two are saved once at the end of the new code. A loop's
    save whose path depends on the loop (`f"ckpt_{epoch}.pt"`) has no single file to stand beside."""
    scope = _scope_of(tree, plan.insert_after)
    if scope is None:
        return []
    found: list[tuple[cst.SimpleStatementLine, str]] = []
    seen = False

    def walk(block: list[cst.BaseStatement], top: bool, loop_names: set[str]) -> None:
        nonlocal seen
        for stmt in block:
            if stmt is plan.insert_after:
                seen = True
                continue
            if isinstance(stmt, cst.SimpleStatementLine):
                saves = [c for c in calls_in(stmt) if _saves_model(c, plan.model)]
                if saves and (seen or top):
                    found.append((stmt, "after" if seen else "before"))
                elif saves and loop_names and all(not names_in(a.value) & loop_names for c in saves for a in c.args[1:]):
                    found.append((stmt, "loop"))
                continue
            if isinstance(stmt, cst.FunctionDef) and _is_event_handler(stmt) and not seen:
                # A handler the training engine calls on its events saves a best-epoch checkpoint.
                own = {p.name.value for p in stmt.params.params} | {n for x in stmt.body.body for n in _binds_names(x)}
                walk(list(stmt.body.body), False, own | {"self"})
                continue
            if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                continue
            inner_names = set(loop_names)
            if isinstance(stmt, (cst.For, cst.While)):
                inner_names |= {n for s in inner_blocks(stmt) for x in s for n in _binds_names(x)}
                inner_names |= set(names_in(stmt.target)) if isinstance(stmt, cst.For) else set()
            for inner in inner_blocks(stmt):
                walk(inner, False, inner_names)

    walk(scope, True, set())
    return found


def holder_saves(tree: cst.Module, plan: EvalPlan) -> list[cst.Call]:
    """`joblib.dump(pipe, "model.joblib")` in the insertion point's scope, where the model is an
    attribute of what is saved (`net.module_`, with `net = pipe.named_steps["net"]`)."""
    if "." not in plan.model or plan.model.startswith("self."):
        return []
    scope = _scope_of(tree, plan.insert_after) or []
    holders = {plan.model.split(".", 1)[0]}
    for stmt in scope:
        for node in nodes_of(stmt, cst.Assign):
            if len(node.targets) == 1 and code(node.targets[0].target) in holders \
                    and isinstance(node.value, (cst.Subscript, cst.Attribute)) and not calls_in(node.value):
                holders.add(_root(node.value) or "")
    return [
        c for stmt in scope if isinstance(stmt, cst.SimpleStatementLine) for c in calls_in(stmt)
        if code(c.func) in ("joblib.dump", "torch.save") and len(c.args) >= 2 and code(c.args[0].value) in holders
    ]


def _with_suffix(save: cst.Call, suffix: str) -> cst.BaseStatement:
    """The save call writing to a file named after the original's, with the suffix (`model_pruned.joblib`)."""
    path = save.args[1].value
    text = string_value(path)
    if text is not None and isinstance(path, cst.SimpleString):
        stem, dot, ext = text.rpartition(".")
        new_path = repr(f"{stem}_{suffix}.{ext}" if dot and "/" not in ext else f"{text}_{suffix}").replace("'", '"')
    else:
        new_path = f'"{{}}_{suffix}{{}}".format(*os.path.splitext(str({code(path)})))'
    return cst.parse_statement(f"{code(save.func)}({code(save.args[0].value)}, {new_path})")


def _is_event_handler(func: cst.FunctionDef) -> bool:
    """`@trainer.on(Events.EPOCH_COMPLETED)`: a function an engine calls while it trains."""
    return isinstance(func.body, cst.IndentedBlock) and any(
        isinstance(d.decorator, cst.Call) and isinstance(d.decorator.func, cst.Attribute)
        and d.decorator.func.attr.value == "on" for d in func.decorators
    )


def _scope_of(tree: cst.Module, target: cst.BaseStatement) -> list[cst.BaseStatement] | None:
    """The statement list of the function (or module) whose code holds `target`, nested blocks included."""
    def holds(block: list[cst.BaseStatement]) -> bool:
        for stmt in block:
            if stmt is target:
                return True
            nested = not isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.SimpleStatementLine))
            if nested and any(holds(inner) for inner in inner_blocks(stmt)):
                return True
        return False

    scopes = [list(tree.body)] + [
        list(f.body.body) for f in nodes_of(tree, cst.FunctionDef) if isinstance(f.body, cst.IndentedBlock)
    ]
    return next((scope for scope in scopes if holds(scope)), None)


def mentions_name(node: cst.CSTNode, model: str) -> bool:
    """The expression reads the model (`model.state_dict()`, `self.model`)."""
    return bool(re.search(rf"(?<![\w.]){re.escape(model)}\b", code(node)))


def _saves_model(call: cst.Call, model: str) -> bool:
    return code(call.func) in ("torch.save", "save") and bool(call.args) and bool(
        re.search(rf"(?<![\w.]){re.escape(model)}\b", code(call.args[0].value))
    )


def saved_copy(stmt: cst.SimpleStatementLine, model: str, optimized: str, suffix: str,
               only_model: bool = False) -> cst.BaseStatement | None:
    """The script's save statement for the optimized copy, to a file named after the script's own.

    `only_model`: a checkpoint dict keeps only its entries holding the model (`"model_state_dict"`);
    the others (`epoch`, the optimizer's state) were the values of the saving epoch, gone by now."""
    call = next(c for c in calls_in(stmt) if code(c.func) in ("torch.save", "save"))
    if len(call.args) < 2:
        return None
    value = call.args[0].value
    if only_model and isinstance(value, cst.Dict):
        kept = [e for e in value.elements if isinstance(e, cst.DictElement) and mentions_name(e.value, model)]
        if not kept:
            return None
        obj = "{" + ", ".join(f"{code(e.key)}: {code(e.value)}" for e in kept) + "}"
    elif only_model and not mentions_name(value, model):
        return None
    else:
        obj = code(value)
    # Not a string that merely spells the name (the checkpoint's `"model"` key stays as it is).
    obj = re.sub(rf"(?<![\w.\"']){re.escape(model)}\b(?![\"'])", optimized, obj)
    path = call.args[1].value
    text = string_value(path)
    if text is not None and isinstance(path, cst.SimpleString):
        stem, dot, ext = text.rpartition(".")
        new_path = repr(f"{stem}_{suffix}.{ext}" if dot and "/" not in ext else f"{text}_{suffix}").replace("'", '"')
    else:
        new_path = f'"{{}}_{suffix}{{}}".format(*os.path.splitext(str({code(path)})))'
    return cst.parse_statement(f"{code(call.func)}({obj}, {new_path})")


def example_evaluation(opt: Optimization) -> str:
    """How both recipes' first example ends (after EXAMPLE_TRAINING and the lines making the copy):
    the copy swapped in, the evaluation repeated and compared, the original put back."""
    new = f"accuracy_{opt.suffix}"
    return (
        f"model = model_{opt.suffix}\n"
        f'print("Evaluation after {opt.verb}:")\n'
        f"{new} = (model(X).argmax(dim=1) == y).float().mean().item()\n"
        f'print(f"accuracy: {{{new}:.3f}}")\n'
        f'print("accuracy {opt.before}:", accuracy, "| {opt.after}:", {new})\n'
        f"model = model_{opt.kept_suffix}\n"
    )


def compare_line(name: str, new: str, before: str, after: str, old: str | None = None,
                 plain: bool = True) -> cst.BaseStatement:
    """A print comparing one result (`name`, held in `old`, by default `name` itself) before and after the change.

    Not `plain`: the result may be a 0-d tensor or numpy scalar, printed as its number
    (`tensor(0.0123)` says the same less plainly)."""
    def shown(value: str) -> str:
        return value if plain else f'{value}.item() if getattr({value}, "ndim", None) == 0 else {value}'

    return cst.parse_statement(f'print("{name} {before}:", {shown(old or name)}, "| {after}:", {shown(new)})')


_PLAIN = re.compile(r"(.*\.item\(\)|(float|int|round|len)\(.*\)|[\d.]+)", re.DOTALL)


def _plain_number(tree: cst.Module, statements: list[cst.BaseStatement], name: str) -> bool:
    """Every value the statements give `name` is a Python number (`x.item()`, `float(...)`, `1.0 - acc.item()`,
    or a call of a script function that returns one)."""
    values = [
        small.value for stmt in statements for small in nodes_of(stmt, (cst.Assign, cst.AugAssign))
        if name in (_binds_names(small) if isinstance(small, cst.Assign) else names_in(small.target))
    ]
    functions = {f.name.value: f for f in tree.body if isinstance(f, cst.FunctionDef)}

    def plain(value: cst.BaseExpression) -> bool:
        if _PLAIN.fullmatch(code(value).strip()):
            return True
        func = functions.get(code(value.func)) if isinstance(value, cst.Call) else None
        returned = [r.value for r in nodes_of(func, cst.Return) if r.value is not None] if func is not None else []
        return bool(returned) and all(_PLAIN.fullmatch(code(r).strip()) for r in returned)

    return bool(values) and all(plain(v) for v in values)


names_of = names_in  # every Name in a tree
fresh = fresh_name


_FLOAT64 = r"(\.double\(\)|\.to\([^)]*torch\.(float64|double)\b|dtype\s*=\s*torch\.(float64|double)\b)"


def float64_model(tree: cst.Module, model: str) -> str | None:
    """The statement that makes the model float64 (`model.double()`, `Net().double()`, a float64
    default dtype), or None."""
    target = re.escape(model)
    for stmt in nodes_of(tree, cst.SimpleStatementLine):
        if all(isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
               for small in stmt.body):
            continue  # a docstring that mentions `model.double()` is not code
        text = code(stmt).strip()
        if "set_default_dtype" in text and re.search(r"torch\.(float64|double)\b", text):
            return text
        if re.search(rf"(?<![\w.]){target}(\s*=.*|\s*)" + _FLOAT64, text):
            return text
    return None


def commented(stmt: cst.BaseStatement, comment: str) -> cst.BaseStatement:
    """The statement with `# comment` lines above it (one per line of the comment)."""
    return stmt.with_changes(leading_lines=[cst.EmptyLine(comment=cst.Comment(f"# {line}")) for line in comment.splitlines()])


# The training script both optimization recipes show as their first example, in two parts: its
# imports (the recipes add theirs below them) and the rest.
EXAMPLE_IMPORTS = """\
import torch
from torch import nn
"""
EXAMPLE_TRAINING = """\
torch.manual_seed(0)
X = torch.randn(200, 8)
y = (X.sum(dim=1) > 0).long()
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(20):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
accuracy = (model(X).argmax(dim=1) == y).float().mean().item()
print(f"accuracy: {accuracy:.3f}")
"""


def with_helpers(tree: cst.Module, helpers: list[cst.BaseStatement]) -> cst.Module:
    """The module with helper functions after its docstring and top imports, set off by two blank lines."""
    body = list(tree.body)
    index = after_imports(body)
    two_blank = [cst.EmptyLine(), cst.EmptyLine()]
    if index < len(body):
        following = body[index]
        comments = [line for line in following.leading_lines if line.comment is not None]
        body[index] = following.with_changes(leading_lines=two_blank + comments)
    body[index:index] = [helper.with_changes(leading_lines=two_blank) for helper in helpers]
    return tree.with_changes(body=body)


__all__ = [
    "EXAMPLE_IMPORTS",
    "EXAMPLE_TRAINING",
    "EvalPlan",
    "Optimization",
    "code",
    "commented",
    "compare_line",
    "example_evaluation",
    "float64_model",
    "fresh",
    "is_bare_layer",
    "metric_names",
    "names_of",
    "optimize_copy",
    "repeated",
    "torch_plan",
    "unregistered_layer_lists",
    "with_helpers",
]
