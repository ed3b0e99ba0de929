"""V4 checks of where a tracking run starts and what shape its logging takes (MLflow and W&B).

Each finds a mistake seen in adaptations of public scripts: a run started on import, before the
script's own tracking configuration, or params logged from a layer's __init__, the same setting
logged under two names, a registered model forced through pickle.
"""

from __future__ import annotations

import re

import libcst as cst

from mlops_adapt.analysis.exprs import block_body, calls_in, code, dotted, string_value
from mlops_adapt.analysis.hyperparams import is_main_guard
from mlops_adapt.verify.rules.base import Recommendation

CONFIG_CALLS = frozenset({
    "mlflow.set_tracking_uri", "mlflow.set_experiment", "mlflow.set_registry_uri", "wandb.login",
})


def _module_level_calls(module: cst.Module) -> list[tuple[int, cst.Call]]:
    """(index of the module statement, call) for calls in module-level code outside defs and the guard."""
    out = []
    for index, stmt in enumerate(module.body):
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) or is_main_guard(stmt):
            continue
        out.extend((index, c) for c in calls_in(stmt))
    return out


def run_on_import(original: cst.Module, candidate: cst.Module, starts: set[str]) -> list[str]:
    """A run started at module level in a script whose work runs from its main guard."""
    if not any(is_main_guard(s) for s in original.body):
        return []
    trains_on_import = any(
        (dotted(c.func) or "").rsplit(".", 1)[-1] in ("fit", "backward", "train")
        for _, c in _module_level_calls(original)
    )
    if trains_on_import:
        return []
    for _, call in _module_level_calls(candidate):
        if dotted(call.func) in starts:
            return [f"`{dotted(call.func)}()` at module level starts a run on import; start it in the main guard"]
    return []


def run_before_config(candidate: cst.Module, starts: set[str]) -> list[str]:
    """The run starts before the script's own set_experiment / set_tracking_uri in the same block."""
    for block in _blocks(candidate):
        started = None
        for stmt in block:
            names = [dotted(c.func) or "" for c in calls_in(stmt)]
            if started is None and any(n in starts for n in names):
                started = next(n for n in names if n in starts)
                if isinstance(stmt, cst.With):
                    # the configuration may sit inside the with body: still after the start
                    inner = [dotted(c.func) for s in block_body(stmt.body) for c in calls_in(s)]
                    if any(n in CONFIG_CALLS for n in inner):
                        return [f"`{started}` starts the run before the script's own tracking configuration"]
                continue
            if started and any(n in CONFIG_CALLS for n in names):
                return [f"`{started}` starts the run before the script's own tracking configuration"]
    return []


def _blocks(module: cst.Module):
    from mlops_adapt.analysis.exprs import nested_blocks

    return nested_blocks(list(module.body), into_defs=True)


def params_in_layer_init(candidate: cst.Module, param_calls: set[str]) -> list[str]:
    """log_params inside an nn.Module's __init__ runs on every instantiation (and is architecture)."""
    problems = []
    for cls in candidate.body:
        if not isinstance(cls, cst.ClassDef) or not any(code(b.value).endswith("Module") for b in cls.bases):
            continue
        for stmt in block_body(cls.body):
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__init__":
                for call in calls_in(stmt.body):
                    if (dotted(call.func) or "").rsplit(".", 1)[-1] in param_calls:
                        problems.append(f"`{dotted(call.func)}` inside `{cls.name.value}.__init__` logs a layer's "
                                        "settings on every instantiation")
                        break
    return problems


def same_setting_twice(calls) -> list[str]:
    """One variable logged as two params: `{"SEED": SEED, "random_state": SEED}`."""
    keys_of: dict[str, set[str]] = {}
    for call in calls:
        for arg in call.node.args:
            if isinstance(arg.value, cst.Dict):
                for e in arg.value.elements:
                    if isinstance(e, cst.DictElement) and isinstance(e.value, cst.Name):
                        key = string_value(e.key)
                        if key is not None:
                            keys_of.setdefault(e.value.value, set()).add(key)
        args = [a for a in call.node.args if a.keyword is None]
        if len(args) >= 2 and isinstance(args[1].value, cst.Name) and string_value(args[0].value) is not None:
            keys_of.setdefault(args[1].value.value, set()).add(string_value(args[0].value) or "")
    problems = []
    for name, keys in sorted(keys_of.items()):
        distinct = {k.replace("-", "_").split("/")[-1] for k in keys}
        if len(distinct) > 1:
            # Worth fixing (the run reads as two settings) but not wrong: a recommendation.
            problems.append(Recommendation(
                f"`{name}` is logged as params under several names ({', '.join(sorted(keys))}): "
                "one name per hyperparameter"))
    return problems


def forced_pickle(calls) -> list[str]:
    """An sklearn model logged with pickle/cloudpickle instead of MLflow's default (skops)."""
    problems = []
    for call in calls:
        if not call.name.endswith("sklearn.log_model"):
            continue
        for arg in call.node.args:
            if arg.keyword and arg.keyword.value == "serialization_format" and \
                    string_value(arg.value) in ("pickle", "cloudpickle"):
                # A warning for now: older careful adaptations in the verifier bench still do this.
                problems.append(Recommendation(
                    f"`{call.name}` at line {call.line} forces {string_value(arg.value)} "
                    "serialization; keep MLflow's default (skops, with skops_trusted_types)"))
    return problems


_BATCH_SOURCE = re.compile(r"loader|batch|dataset|_iter|iterator", re.IGNORECASE)


def _loop_index(loop: cst.For) -> str | None:
    """`i` of `for i, data in enumerate(loader)`, else None."""
    target = loop.target
    if isinstance(target, cst.Tuple) and target.elements and isinstance(target.elements[0].value, cst.Name):
        return target.elements[0].value.value
    return None


_BATCH_INDEX = re.compile(r"^(batch|batch_idx|batch_i|i_batch|batch_num|batch_no|minibatch|mb)$")


def _is_batch_loop(loop: cst.For) -> bool:
    batchy = bool(_BATCH_SOURCE.search(code(loop.iter))) or bool(_BATCH_INDEX.match(_loop_index(loop) or ""))
    return batchy and any(
        (dotted(c.func) or "").endswith("backward") or (dotted(c.func) or "").endswith("step")
        for c in calls_in(loop.body)
    )


def per_batch_without_step(candidate: cst.Module, metric_calls: set[str]) -> list[str]:
    """A per-batch metric logged with no step, or with the batch index that restarts every epoch."""
    problems: list[str] = []

    class Finder(cst.CSTVisitor):
        def __init__(self) -> None:
            self.loops: list[cst.For | None] = []
            self.functions: list[cst.FunctionDef] = []

        def visit_For(self, node: cst.For) -> None:
            self.loops.append(node)

        def leave_For(self, original_node: cst.For) -> None:
            self.loops.pop()

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.loops.append(None)  # a def's body does not run in the enclosing loops
            self.functions.append(node)

        def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
            while self.loops and self.loops.pop() is not None:
                pass
            self.functions.pop()

        def visit_Call(self, node: cst.Call) -> None:
            name = dotted(node.func) or ""
            if name.rsplit(".", 1)[-1] not in metric_calls or not name.startswith(("mlflow.", "wandb.")):
                return
            active = []
            for loop in reversed(self.loops):
                if loop is None:
                    break
                active.append(loop)
            batch = next((loop for loop in active if _is_batch_loop(loop)), None)
            if batch is None:
                return
            step = next((a.value for a in node.args if a.keyword and a.keyword.value == "step"), None)
            outer = [loop for loop in active if loop is not batch and active.index(loop) > active.index(batch)]
            # train(model, loader, epoch): called once per epoch, its batch index restarts too
            per_epoch = bool(self.functions) and any(
                p.name.value in ("epoch", "epoch_idx", "ep") for p in self.functions[-1].params.params)
            if step is None and name.startswith("mlflow."):
                problems.append(f"`{name}` inside the batch loop `for ... in {code(batch.iter)}` logs a "
                                "per-batch value without a step")
            elif step is not None and (outer or per_epoch) and code(step).strip() == _loop_index(batch):
                problems.append(f"`{name}` logs a per-batch value with step={code(step)}, which restarts every "
                                "epoch: use a step that keeps increasing")

    candidate.visit(Finder())
    return problems


def registers_every_model_of_a_loop(candidate: cst.Module) -> list[str]:
    """log_model(..., registered_model_name=...) inside a loop that trains: one version per iteration."""
    problems: list[str] = []
    for loop in _loops(candidate):
        trains = any((dotted(c.func) or "").rsplit(".", 1)[-1] in ("fit", "backward") for c in calls_in(loop.body))
        if not trains:
            continue
        for call in calls_in(loop.body):
            name = dotted(call.func) or ""
            # one registered name per iteration (f"iris-{name}") is a model per compared kind: fine
            if name.endswith(".log_model") and any(a.keyword and a.keyword.value == "registered_model_name"
                                                   and string_value(a.value) is not None for a in call.args):
                problems.append(f"`{name}` registers a model on every iteration of the loop over "
                                f"`{code(loop.iter)}`: register the one the script keeps (the best), after the loop")
                return problems
    return problems


def _loops(module: cst.Module) -> list[cst.For]:
    from mlops_adapt.analysis.exprs import nodes_of

    return nodes_of(module, cst.For)


def logs_a_data_loader(candidate: cst.Module, log_models) -> list[str]:
    """The object passed to log_model was built by DataLoader(...): a data pipeline, not a model."""
    loaders = set()
    for node in _assignments(candidate):
        if isinstance(node.value, cst.Call) and (dotted(node.value.func) or "").endswith("DataLoader"):
            loaders |= {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}
    problems = []
    for call in log_models:
        args = [a for a in call.node.args if a.keyword is None] or [
            a for a in call.node.args if a.keyword and a.keyword.value in ("pytorch_model", "sk_model")]
        if args and isinstance(args[0].value, cst.Name) and args[0].value.value in loaders:
            problems.append(f"`{call.name}` at line {call.line} logs `{args[0].value.value}`, a DataLoader, "
                            "not the trained model")
    return problems


def _assignments(module: cst.Module):
    from mlops_adapt.analysis.exprs import nodes_of

    return [small for line in nodes_of(module, cst.SimpleStatementLine) for small in line.body
            if isinstance(small, cst.Assign)]


def _handler_bodies(module: cst.Module) -> list[cst.CSTNode]:
    """The `finally:` and `except ...:` bodies of every try statement: where cleanup runs on errors."""
    from mlops_adapt.analysis.exprs import nodes_of

    bodies: list[cst.CSTNode] = []
    for node in nodes_of(module, (cst.Try, cst.TryStar)):
        bodies += [h.body for h in node.handlers]
        if node.finalbody is not None:
            bodies.append(node.finalbody.body)
    return bodies


def unguarded_run_end(original: cst.Module, candidate: cst.Module, starts: set[str], ends: set[str]) -> list[str]:
    """A run started by a bare call (not `with`) whose end is reached only when nothing raises.

    An exception between `mlflow.start_run()` and `mlflow.end_run()` skips the end: the run stays
    RUNNING, or MLflow's exit hook marks the crashed run FINISHED. `with mlflow.start_run():`, or an
    end in a `finally:` / `except:` path, ends it FAILED. Notebooks and `# %%` cell scripts start
    and end their run flat on purpose (a `with` cannot span cells), so they are exempt."""
    from mlops_adapt.analysis.exprs import nodes_of
    from mlops_adapt.transforms.tracking import is_cell_structured

    if is_cell_structured(candidate) or is_cell_structured(original):
        return []

    def bare_starts(module: cst.Module) -> list[cst.Call]:
        in_with = {id(item.item) for w in nodes_of(module, cst.With) for item in w.items}
        return [c for c in calls_in(module) if dotted(c.func) in starts and id(c) not in in_with]

    added = bare_starts(candidate)
    if len(added) <= len(bare_starts(original)):
        return []  # the script's own run handling, not the edit's
    guarded = {id(c) for body in _handler_bodies(candidate) for c in calls_in(body)}
    end_calls = [c for c in calls_in(candidate) if dotted(c.func) in ends]
    if any(id(c) in guarded for c in end_calls):
        return []
    name = dotted(added[0].func)
    how = f"`{dotted(end_calls[0].func)}()` is skipped" if end_calls else "nothing ends it"
    return [(f"`{name}()` starts a run outside `with`, and if the code after it raises, {how}: the run is left "
             f"RUNNING or marked FINISHED; use `with {name}(...):` or end it in a `finally:`")]


_EPOCH_TARGET = re.compile(r"^(epoch|epochs|ep|e|epoch_idx|epoch_i|it|iter|iteration|step|t)$")
_EPOCH_COUNT = re.compile(r"epoch|iter|steps", re.IGNORECASE)


def _is_epoch_loop(loop: cst.For) -> bool:
    """`for epoch in ...` or `for _ in range(EPOCHS)`: one training, repeated; not a sweep over settings."""
    if isinstance(loop.target, cst.Name) and _EPOCH_TARGET.match(loop.target.value):
        return True
    return isinstance(loop.iter, cst.Call) and dotted(loop.iter.func) == "range" and bool(
        _EPOCH_COUNT.search(code(loop.iter)))


def _is_nested(call: cst.Call) -> bool:
    return any(a.keyword and a.keyword.value == "nested" for a in call.args)


def runs_split_or_repeated(original: cst.Module, candidate: cst.Module, starts: set[str]) -> list[str]:
    """The edit starts a run on every epoch, or splits one training across several top-level runs.

    Seen in a real model's candidates: `with mlflow.start_run():` inside `for epoch in range(EPOCHS)`
    made 40 runs of one training, then two more runs logged the params again and the accuracy;
    every log call was inside *a* run, so the other rules passed it. A sweep's child runs pass
    `nested=True`; a loop over settings is not an epoch loop."""
    from mlops_adapt.analysis.exprs import nodes_of

    def top_level_starts(module: cst.Module) -> list[cst.Call]:
        return [c for c in calls_in(module) if dotted(c.func) in starts and not _is_nested(c)]

    added = len(top_level_starts(candidate)) - len(top_level_starts(original))
    if added <= 0:
        return []
    for loop in nodes_of(candidate, cst.For):
        if not _is_epoch_loop(loop):
            continue
        inside = [c for c in calls_in(loop.body) if dotted(c.func) in starts and not _is_nested(c)]
        if inside and not any(dotted(c.func) in starts for c in calls_in(_loop_in(original, loop))):
            name = dotted(inside[0].func)
            return [f"`{name}` inside the loop `for {code(loop.target)} in {code(loop.iter)}` starts a new run on "
                    "every epoch of one training: start one run around the loop and log each epoch's "
                    "values with a step"]
    if added >= 2:
        name = dotted(top_level_starts(candidate)[0].func)
        return [f"the edit starts {added} separate runs (`{name}`) for one script: its params and metrics end up "
                "split across them; start one run around the training and its evaluation"]
    return []


def _loop_in(original: cst.Module, loop: cst.For) -> cst.CSTNode:
    """The original's loop with the same header, or an empty module when the edit added the loop."""
    from mlops_adapt.analysis.exprs import nodes_of

    header = (code(loop.target), code(loop.iter))
    return next((o for o in nodes_of(original, cst.For) if (code(o.target), code(o.iter)) == header),
                cst.Module(body=[]))
