"""Def-use data flow over a script's ast: what an expression is computed from, and where a value goes.

Approximate by design, and read-only:

- names resolve by Python's scoping rules (local, enclosing function, `global`, module);
- a read sees every definition that may reach it, except those hidden by a later definition
  that must run first (one in the same block, or in an `if` whose test is known to hold);
- calls to functions and methods of the same file are followed, their arguments bound to
  their parameters; what a call returns is what its `return` statements return.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPES = (ast.Module, ast.ClassDef, *FUNCTIONS, *COMPREHENSIONS)

Binding = tuple[int, str]  # (id of the scope node, name)

# How deep calls are followed, and how many nodes one walk may visit (the walks are cheap, but a
# script can be long and recursive helpers exist).
MAX_CALL_DEPTH = 8
WALK_BUDGET = 50_000


# Methods that put a value into a list or set in place.
_FILLERS = frozenset({"append", "extend", "insert", "add"})


def last_attr(func: ast.AST) -> str | None:
    """`fit` for `model.fit`, `print` for `print`: the name a call is known by."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def root_name(expr: ast.AST) -> str | None:
    """`mlflow` for `mlflow.sklearn.log_model`, `a` for `a.b[0].c()`: the name an expression starts from."""
    while True:
        if isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, (ast.Attribute, ast.Subscript, ast.Starred)):
            expr = expr.value
        elif isinstance(expr, ast.Name):
            return expr.id
        else:
            return None


def string_key(expr: ast.AST | None) -> str | None:
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


class Frame:
    """One activation of a function (or the module) while tracing: its parameters' bound arguments."""

    __slots__ = ("depth", "env", "key", "pins", "unit")

    def __init__(self, unit: ast.AST, env: dict | None = None, key: int = 0, depth: int = 0,
                 pins: dict | None = None) -> None:
        self.unit = unit
        self.env = env or {}  # parameter name -> (argument expression, caller frame)
        self.key = (id(unit), key)
        self.depth = depth
        # id of a comprehension's target -> (the value it has for the entry read, its frame): in
        # `{k: f(s) for k, s in parts.items()}` read as `["val"]`, `s` is `parts["val"]` only.
        self.pins = pins or {}


class Program:
    """The ast of one script with its scopes, name bindings, definitions and uses."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parent: dict[int, ast.AST] = {}
        self.scope: dict[int, ast.AST] = {}  # node -> the scope it is evaluated in
        self.locals: dict[int, set[str]] = {}
        self.declared_global: dict[int, set[str]] = {}
        self.declared_nonlocal: dict[int, set[str]] = {}
        self.params: dict[int, list[str]] = {}
        self.binding: dict[int, Binding] = {}
        self.loads: dict[Binding, list[ast.Name]] = {}
        self.stores: dict[Binding, list[ast.Name]] = {}
        self.defs_of_function: dict[Binding, list[ast.AST]] = {}
        self.functions: list[ast.AST] = []
        self.classes: dict[str, list[ast.ClassDef]] = {}
        self.calls: list[ast.Call] = []
        self.trials: set[Binding] = set()  # bindings that hold the running Optuna trial
        self.objectives: list[ast.AST] = []  # the functions Optuna calls with a trial
        self._derived: dict[Binding, bool] = {}
        self._reaching: dict[int, list[ast.Name]] = {}
        self._units: dict[int, ast.AST] = {}
        self._sites: dict[int, list[ast.Call]] | None = None
        self._methods: dict[str, list[ast.AST]] | None = None
        self._added: dict[Binding, list[ast.AST]] | None = None
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[id(child)] = node
        self._visit(tree, tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                binding = self._resolve(node.id, self.scope[id(node)])
                self.binding[id(node)] = binding
                into = self.loads if isinstance(node.ctx, ast.Load) else self.stores
                into.setdefault(binding, []).append(node)
        for func in self.functions:
            if not isinstance(func, ast.Lambda):
                binding = self._resolve(func.name, self.scope[id(func)])
                self.defs_of_function.setdefault(binding, []).append(func)

    @classmethod
    def parse(cls, source: str) -> Program | None:
        try:
            return cls(ast.parse(source))
        except (SyntaxError, ValueError, RecursionError):
            return None

    # ------------------------------------------------------------------ building
    def _visit(self, node: ast.AST, scope: ast.AST) -> None:
        """Record parents, the scope each node is evaluated in, and what each scope binds."""
        self.scope[id(node)] = scope
        if isinstance(node, SCOPES) and node is not scope:
            self.locals.setdefault(id(node), set())
            self._enter(node, scope)
            return
        if node is scope:
            self.locals.setdefault(id(node), set())
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            self.locals[id(scope)].add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                self.locals[id(scope)].add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            self.locals[id(scope)].add(node.name)
        elif isinstance(node, ast.Global):
            self.declared_global.setdefault(id(scope), set()).update(node.names)
        elif isinstance(node, ast.Nonlocal):
            self.declared_nonlocal.setdefault(id(scope), set()).update(node.names)
        elif isinstance(node, ast.Call):
            self.calls.append(node)
        for child in ast.iter_child_nodes(node):
            self._visit(child, scope)

    def _enter(self, node: ast.AST, outer: ast.AST) -> None:
        """A nested scope: its header (decorators, defaults, bases, first iterable) is evaluated outside."""
        inner: list[ast.AST] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.locals[id(outer)].add(node.name)
        if isinstance(node, FUNCTIONS):
            self.functions.append(node)
            args = node.args
            every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
            every += [a for a in (args.vararg, args.kwarg) if a is not None]
            self.params[id(node)] = [a.arg for a in every]
            self.locals[id(node)].update(self.params[id(node)])
            inner += every
            inner += [node.body] if isinstance(node, ast.Lambda) else node.body
        elif isinstance(node, ast.ClassDef):
            self.classes.setdefault(node.name, []).append(node)
            inner += node.body
        else:  # a comprehension
            first, *rest = node.generators
            inner += [first.target, *first.ifs, *rest]
            inner += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        inside = {id(n) for n in inner}
        for descendant in _outer_part(node, inside):
            self._visit(descendant, outer)
        for child in inner:
            self._visit(child, node)

    def _resolve(self, name: str, scope: ast.AST) -> Binding:
        """The binding a name read or written in `scope` refers to (LEGB, classes not enclosing)."""
        module = self.tree
        if scope is module or name in self.declared_global.get(id(scope), ()):
            return (id(module), name)
        current: ast.AST = scope
        if name in self.locals.get(id(current), ()) and name not in self.declared_nonlocal.get(id(current), ()):
            return (id(current), name)
        while current is not module:
            current = self.scope[id(current)]
            if isinstance(current, ast.ClassDef):
                continue
            if current is module or name in self.declared_global.get(id(current), ()):
                break  # a comprehension inside a function reads the function's globals from the module
            if name in self.locals.get(id(current), ()):
                return (id(current), name)
        return (id(module), name)

    # ------------------------------------------------------------------ structure
    def scope_node(self, binding: Binding) -> ast.AST | None:
        for func in self.functions:
            if id(func) == binding[0]:
                return func
        return self.tree if binding[0] == id(self.tree) else None

    def is_param(self, binding: Binding) -> bool:
        return binding[1] in self.params.get(binding[0], ())

    def statement(self, node: ast.AST) -> ast.AST:
        """The statement a node belongs to."""
        while not isinstance(node, ast.stmt) and id(node) in self.parent:
            node = self.parent[id(node)]
        return node

    def unit(self, node: ast.AST) -> ast.AST:
        """The function (or the module) whose code holds the node."""
        found = self._units.get(id(node))
        if found is None:
            found = self.tree
            for above in self.ancestors(node):
                if isinstance(above, FUNCTIONS):
                    found = above
                    break
            self._units[id(node)] = found
        return found

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        while id(node) in self.parent:
            node = self.parent[id(node)]
            yield node

    def inside(self, node: ast.AST, container: ast.AST) -> bool:
        return node is container or any(a is container for a in self.ancestors(node))

    def enclosing_loops(self, node: ast.AST) -> list[ast.AST]:
        """The loops around a node inside its own function, innermost first."""
        loops = []
        for above in self.ancestors(node):
            if isinstance(above, FUNCTIONS):
                break
            if isinstance(above, (ast.For, ast.AsyncFor, ast.While)):
                loops.append(above)
        return loops

    def methods(self, name: str) -> list[ast.AST]:
        """Functions of that name defined directly in a class body."""
        if self._methods is None:
            self._methods = {}
            for f in self.functions:
                if not isinstance(f, ast.Lambda) and isinstance(self.parent.get(id(f)), ast.ClassDef):
                    self._methods.setdefault(f.name, []).append(f)
        return self._methods.get(name, [])

    def callees(self, call: ast.Call) -> list[ast.AST]:
        """The functions of this file a call runs (none for library calls and constructors)."""
        func = call.func
        if isinstance(func, ast.Name):
            return list(self.defs_of_function.get(self.binding.get(id(func), (0, "")), []))
        if isinstance(func, ast.Attribute):
            return self.methods(func.attr) or self._stored_functions(func)
        return []

    def _stored_functions(self, func: ast.Attribute) -> list[ast.AST]:
        """`self._process_function(...)` where `__init__` stored a parameter under that name
        (`self._process_function = process_function`) and the class is built with a function of this
        file (`Engine(_update)`): that function."""
        if not (isinstance(func.value, ast.Name) and func.value.id == "self"):
            return []
        cls = next((a for a in self.ancestors(func) if isinstance(a, ast.ClassDef)), None)
        init = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None) if cls else None
        if init is None:
            return []
        stored = [
            node.value.id for node in ast.walk(init)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and any(
                isinstance(t, ast.Attribute) and t.attr == func.attr and isinstance(t.value, ast.Name) and t.value.id == "self"
                for t in node.targets
            )
        ]
        found: list[ast.AST] = []
        for call in self.calls:
            if stored and self.constructed_class(call) is cls:
                bound = self.bind(init, call, Frame(self.unit(call))).env.get(stored[0])
                if bound is not None and isinstance(bound[0], ast.Name):
                    found += self.defs_of_function.get(self.binding.get(id(bound[0]), (0, "")), [])
        return found

    def constructed_class(self, call: ast.Call) -> ast.ClassDef | None:
        """The class of this file a call instantiates, if any."""
        name = call.func.id if isinstance(call.func, ast.Name) else None
        if name is None or self.binding.get(id(call.func), (0, ""))[0] != id(self.tree):
            return None
        found = self.classes.get(name)
        return found[-1] if found else None

    def call_sites(self, func: ast.AST) -> list[ast.Call]:
        """Calls in this file that run `func`."""
        if self._sites is None:
            self._sites = {}
            for call in self.calls:
                for callee in self.callees(call):
                    self._sites.setdefault(id(callee), []).append(call)
                cls = self.constructed_class(call)  # `Experiment(cfg)` runs `Experiment.__init__`
                for init in (f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__") if cls else ():
                    self._sites.setdefault(id(init), []).append(call)
        return self._sites.get(id(func), [])

    def returns(self, func: ast.AST) -> list[ast.AST]:
        """The returned expressions of a function (a lambda returns its body)."""
        if isinstance(func, ast.Lambda):
            return [func.body]
        found: list[ast.AST] = []
        stack = list(func.body)
        while stack:
            node = stack.pop()
            if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
                continue
            if isinstance(node, ast.Return) and node.value is not None:
                found.append(node.value)
            stack.extend(ast.iter_child_nodes(node))
        return found

    def bind(self, func: ast.AST, call: ast.Call, caller: Frame) -> Frame:
        """A frame for `func` run by `call`: each parameter bound to the argument the call passes."""
        args = func.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        method = isinstance(self.parent.get(id(func)), ast.ClassDef)
        if method and positional and (isinstance(call.func, ast.Attribute) or func.name == "__init__"):
            positional = positional[1:]  # self
        env: dict = {}
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                # `self._run(*validation_data)`: the parameters left take their values from the unpacked
                # sequence (not from every other call site of the function).
                for name in positional[index:]:
                    env.setdefault(name, (arg.value, caller))
                break
            if index < len(positional):
                env[positional[index]] = (arg, caller)
            elif args.vararg is not None:
                env.setdefault(args.vararg.arg, (arg, caller))
        names = set(positional) | {a.arg for a in args.kwonlyargs}
        for keyword in call.keywords:
            if keyword.arg in names:
                env[keyword.arg] = (keyword.value, caller)
            elif args.kwarg is not None:
                env.setdefault(args.kwarg.arg, (keyword.value, caller))
        return Frame(func, env, key=id(call), depth=caller.depth + 1)

    # ------------------------------------------------------------------ definitions
    def def_value(self, target: ast.AST) -> ast.AST | None:
        """The expression a stored name receives (the matching element when a tuple is unpacked)."""
        node, path = target, []
        above = self.parent.get(id(node))
        while isinstance(above, (ast.Tuple, ast.List, ast.Starred)):
            if isinstance(above, (ast.Tuple, ast.List)):
                path.append(next(i for i, e in enumerate(above.elts) if e is node))
            node, above = above, self.parent.get(id(above))
        if isinstance(above, ast.Assign):
            value = _per_element(above.value)
            for index in reversed(path):
                elts = getattr(value, "elts", None)
                if not isinstance(value, (ast.Tuple, ast.List)) or any(isinstance(e, ast.Starred) for e in elts):
                    break
                if index >= len(elts):
                    break
                value = elts[index]
            return value
        if isinstance(above, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            return above.value
        if isinstance(above, (ast.For, ast.AsyncFor, ast.comprehension)) and node is above.target:
            return above.iter
        if isinstance(above, ast.withitem):
            return above.context_expr
        return None

    def reaching(self, at: ast.Name) -> list[ast.Name]:
        """The definitions of the name read (or augmented) at `at` that may reach it."""
        if id(at) not in self._reaching:
            self._reaching[id(at)] = self._reaching_now(at)
        return self._reaching[id(at)]

    def _reaching_now(self, at: ast.Name) -> list[ast.Name]:
        binding = self.binding.get(id(at))
        if binding is None:
            return []
        defs = [d for d in self.stores.get(binding, []) if d is not at]
        hiding = [d for d in defs if self._runs_before(d, at)]
        kept = []
        for d in defs:
            start = _position(self.statement(d))
            if any(_position(self.statement(h)) > start and h is not d for h in hiding):
                continue
            if self.unit(d) is not self.unit(at) and any(self._overwritten_next(d, o) for o in defs if o is not d):
                continue  # read from another function: the value left behind is the one stored right after
            kept.append(d)
        return kept

    def _overwritten_next(self, first: ast.Name, then: ast.Name) -> bool:
        """`then` certainly stores again in the statement right after `first`'s (a trial's carve of a split)."""
        stmt = self.statement(first)
        if isinstance(stmt, ast.AugAssign) or isinstance(self.statement(then), ast.AugAssign):
            return False
        anchor = self._certain_anchor(self.statement(then))
        block = _block_of(self.parent.get(id(stmt)), stmt)
        if block is None or not any(s is anchor for s in block):
            return False
        return next(i for i, s in enumerate(block) if s is anchor) == next(i for i, s in enumerate(block) if s is stmt) + 1

    def _certain_anchor(self, stmt: ast.AST) -> ast.AST:
        """The outermost statement whose run certainly runs `stmt` while a trial runs (through trial-true `if`s, `with`s)."""
        anchor = stmt
        while True:
            above = self.parent.get(id(anchor))
            if above is None or isinstance(above, (*FUNCTIONS, ast.Module)):
                return anchor
            if isinstance(above, ast.If):
                truth = self.truth(above.test)
                if (truth is True and _in_field(above, "body", anchor)) or (
                    truth is False and _in_field(above, "orelse", anchor)
                ):
                    anchor = above
                    continue
            if isinstance(above, (ast.With, ast.AsyncWith)):
                anchor = above
                continue
            return anchor

    def _runs_before(self, definition: ast.Name, at: ast.AST) -> bool:
        """True when `definition` certainly runs between the start of `at`'s code and `at` itself."""
        stmt = self.statement(definition)
        if isinstance(stmt, ast.AugAssign) or self.inside(at, stmt):
            return False
        if self.unit(stmt) is not self.unit(at):
            return False
        anchor = self._certain_anchor(stmt)
        block = _block_of(self.parent.get(id(anchor)), anchor)
        if block is None:
            return False
        after = block[next(i for i, s in enumerate(block) if s is anchor) + 1 :]
        return any(self.inside(at, s) for s in after)

    def truth(self, test: ast.AST) -> bool | None:
        """The value of a condition while an Optuna trial runs, when the condition is about the trial."""
        if isinstance(test, ast.BoolOp):
            values = [self.truth(v) for v in test.values]
            if isinstance(test.op, ast.And):
                return False if False in values else (True if all(v is True for v in values) else None)
            return True if True in values else (False if all(v is False for v in values) else None)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            value = self.truth(test.operand)
            return None if value is None else not value
        if (
            isinstance(test, ast.Compare) and len(test.ops) == 1 and self.is_trial(test.left)
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None
        ):
            if isinstance(test.ops[0], ast.IsNot):
                return True
            if isinstance(test.ops[0], ast.Is):
                return False
        if (
            isinstance(test, ast.Call) and last_attr(test.func) == "isinstance" and len(test.args) == 2
            and self.is_trial(test.args[0]) and "FixedTrial" in ast.unparse(test.args[1])
        ):
            return False
        if self.is_trial(test):
            return True
        return None

    def is_trial(self, expr: ast.AST) -> bool:
        return isinstance(expr, ast.Name) and self.binding.get(id(expr)) in self.trials

    def mark_trial(self, objective: ast.AST) -> None:
        """Remember which names hold the running trial: the objective's first parameter and its copies."""
        params = self.params.get(id(objective), [])
        if not params or any(o is objective for o in self.objectives):
            return
        self.objectives.append(objective)
        self.trials.add((id(objective), params[0]))
        changed = True
        while changed:
            changed = False
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Assign) and self.is_trial(node.value):
                    for target in node.targets:
                        if isinstance(target, ast.Name) and self.binding[id(target)] not in self.trials:
                            self.trials.add(self.binding[id(target)])
                            changed = True
                elif isinstance(node, ast.Call):
                    for func in self.callees(node):
                        frame = self.bind(func, node, Frame(self.tree))
                        for param, (arg, _) in frame.env.items():
                            if self.is_trial(arg) and (id(func), param) not in self.trials:
                                self.trials.add((id(func), param))
                                changed = True

    def derived_from_params(self, name: ast.Name) -> bool:
        """True when a function's local (read or written at `name`) is computed from its parameters.

        Any definition of the local counts: `total = 0` then `total += loss(model(x))` with `x`
        from a parameter is derived from that parameter."""
        binding = self.binding.get(id(name))
        if binding is None or binding[0] == id(self.tree):
            return False
        if binding not in self._derived:
            self._derived[binding] = False  # cycles: assume not while deciding
            self._derived[binding] = self._derived_now(binding)
        return self._derived[binding]

    def _derived_now(self, binding: Binding) -> bool:
        if self.is_param(binding):
            return True
        todo = [binding]
        seen = {binding}
        while todo:
            current = todo.pop()
            for d in self.stores.get(current, []):
                value = self.def_value(d)
                for read in _data_names(value) if value is not None else ():
                    b = self.binding.get(id(read))
                    if b is None or b[0] != binding[0] or b in seen:
                        continue
                    if self.is_param(b):
                        return True
                    seen.add(b)
                    todo.append(b)
        return False

    # ------------------------------------------------------------------ tracing back
    def walk(
        self, expr: ast.AST, frame: Frame, visit: Callable[[ast.AST, Frame], str | None],
        through: Callable[[ast.Call], bool] | None = None,
    ) -> str | None:
        """Visit the expression and everything it is computed from; the first result `visit` returns.

        Reads lead to the definitions that reach them (a parameter to the argument bound to it),
        calls to this file's functions lead to what they return, and `trial.user_attrs["k"]` to
        the values given to `set_user_attr("k", ...)`. When `through` is given, the walk goes on
        past a call only where it returns True (its arguments are not followed otherwise).
        """
        stack: list[tuple[ast.AST, Frame]] = [(expr, frame)]
        seen: set[tuple] = set()
        keyed: set[int] = set()  # dict names read by one key, whose other entries the walk leaves out
        budget = WALK_BUDGET
        while stack:
            node, current = stack.pop()
            key = (id(node), current.key)
            if key in seen:
                continue
            seen.add(key)
            for sub in _data_nodes(node, through):
                budget -= 1
                if budget < 0:
                    return None
                found = visit(sub, current)
                if found:
                    return found
                entries = self._keyed_entries(sub, current)
                if entries is not None:
                    keyed.add(id(sub.value))
                    for target, value, where in entries:
                        found = visit(target, where)
                        if found:
                            return found
                        stack.append((value, where))
                    continue
                if id(sub) in keyed:
                    continue
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                    for target, value, where in self.sources(sub, current):
                        if target is not None:
                            found = visit(target, where)
                            if found:
                                return found
                        stack.append((value, where))
                elif isinstance(sub, ast.Call) and current.depth < MAX_CALL_DEPTH and (through is None or through(sub)):
                    for func in self.callees(sub):
                        inner = self.bind(func, sub, current)
                        stack.extend((r, inner) for r in self.returns(func))
                attr_key = user_attr_key(sub)
                if attr_key is not None:
                    stack.extend(self._call_reported(attr_key, sub, current) or self._user_attr_values(attr_key))
        return None

    def _keyed_entries(self, node: ast.AST, frame: Frame) -> list[tuple[ast.Name, ast.AST, Frame]] | None:
        """`metrics["val_acc"]` where every definition of `metrics` that reaches the read is a dict display
        with that key (and nothing is put into it later): (target, the key's value, frame) for each, so that
        `{"val_acc": ..., "test_acc": ...}` gives only what the read sees. None when the shape does not say."""
        if not (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name)):
            return None
        wanted = string_key(node.slice) or self._pinned_key(node.slice, frame)
        binding = self.binding.get(id(node.value))
        if wanted is None or binding is None or self.is_param(binding) or self.added_to(binding):
            return None
        found: list[tuple[ast.Name, ast.AST, Frame]] = []
        for target, value, where in self.sources(node.value, frame):
            if target is not None and isinstance(value, ast.DictComp):
                entry = self._comprehension_entry(value, wanted, where)
                if entry is None:
                    return None
                found.append((target, value.value, entry))
                continue
            if target is None or not isinstance(value, ast.Dict) or any(k is None for k in value.keys):
                return None
            matches = [v for k, v in zip(value.keys, value.values) if string_key(k) == wanted]
            if len(matches) != 1:
                return None
            found.append((target, matches[0], where))
        return found or None

    def _pinned_key(self, index: ast.AST, frame: Frame) -> str | None:
        """`sets[name]` inside `{name: ... for name in ["train", "val"]}` computing its "val" entry: "val"."""
        if not (isinstance(index, ast.Name) and frame.pins and id(index) in self.binding):
            return None
        pinned = [frame.pins.get(id(d)) for d in self.reaching(index)]
        keys = {string_key(p[0]) for p in pinned if p is not None}
        return keys.pop() if len(pinned) == 1 and len(keys) == 1 and None not in keys else None

    def _comprehension_entry(self, comp: ast.DictComp, wanted: str, frame: Frame) -> Frame | None:
        """The frame in which `{k: f(s) for k, s in parts.items()}` (or `for k in ["train", "val"]`)
        computes its entry `wanted`: its targets pinned to that entry's key and value. None when the
        shape does not say which entry is which."""
        if len(comp.generators) != 1 or comp.generators[0].ifs or not isinstance(comp.key, ast.Name):
            return None
        loop = comp.generators[0]
        target, source = loop.target, loop.iter
        if isinstance(target, ast.Name) and isinstance(source, (ast.List, ast.Tuple)) and target.id == comp.key.id:
            keys = [e for e in source.elts if string_key(e) == wanted]
            if len(keys) != 1:
                return None
            pins = {id(target): (keys[0], frame)}
        elif (isinstance(target, ast.Tuple) and len(target.elts) == 2 and all(isinstance(e, ast.Name) for e in target.elts)
              and target.elts[0].id == comp.key.id and isinstance(source, ast.Call) and not source.args
              and isinstance(source.func, ast.Attribute) and source.func.attr == "items"
              and isinstance(source.func.value, ast.Name) and id(source.func.value) in self.binding):
            if self.is_param(self.binding[id(source.func.value)]) or self.added_to(self.binding[id(source.func.value)]):
                return None
            made = self.sources(source.func.value, frame)
            if len(made) != 1 or not isinstance(made[0][1], ast.Dict):
                return None
            pairs = [(k, v) for k, v in zip(made[0][1].keys, made[0][1].values) if string_key(k) == wanted]
            if len(pairs) != 1:
                return None
            (key_node, value), where = pairs[0], made[0][2]
            pins = {id(target.elts[0]): (key_node, where), id(target.elts[1]): (value, where)}
        else:
            return None
        return Frame(frame.unit, frame.env, hash((frame.key, id(comp), wanted)), frame.depth, {**frame.pins, **pins})

    def sources(self, name: ast.Name, frame: Frame) -> list[tuple[ast.Name | None, ast.AST, Frame]]:
        """(definition target, its value, the frame it runs in) for what a read may see.

        A bound parameter gives (None, argument, caller frame)."""
        binding = self.binding[id(name)]
        found: list[tuple[ast.Name | None, ast.AST, Frame]] = []
        if self.is_param(binding) and id(frame.unit) == binding[0] and name.id in frame.env:
            argument, caller = frame.env[name.id]
            found.append((None, argument, caller))
        elif self.is_param(binding) and frame.depth < MAX_CALL_DEPTH:
            # Entered without a call (e.g. from a global's definition): any call site may bind it.
            func = self.scope_node(binding)
            for call in self.call_sites(func) if func is not None else []:
                caller = Frame(self.unit(call), depth=frame.depth + 1)
                bound = self.bind(func, call, caller).env.get(name.id)
                if bound is not None:
                    found.append((None, bound[0], bound[1]))
        for added in self.added_to(binding):
            # `records.append({"r2": r2_score(y_test, pred)})`: what a list or dict is filled with.
            found.append((None, added, frame if self.unit(added) is frame.unit else Frame(self.unit(added))))
        todo, seen = [name], set()
        while todo:
            current = todo.pop()
            for d in self.reaching(current):
                if id(d) in seen:
                    continue
                seen.add(id(d))
                if id(d) in frame.pins:
                    found.append((d, *frame.pins[id(d)]))
                    continue
                value = self.def_value(d)
                where = frame if self.unit(d) is frame.unit else Frame(self.unit(d))
                picked = self._returned_elements(d, value, where)
                if picked:
                    found += [(d, element, inner) for element, inner in picked]
                    continue
                found.append((d, value if value is not None else d, where))
                if isinstance(self.statement(d), ast.AugAssign):
                    todo.append(d)
        return found

    def _returned_elements(self, target: ast.AST, value: ast.AST | None, frame: Frame) -> list[tuple[ast.AST, Frame]]:
        """`x_train, x_val, x_test, y_test = make_data(rng)` with `return a, b, c, d` in make_data: for
        `x_val`, the second returned element (not the whole tuple); nested unpacking, `(a, b), (c, d) =
        make_data()`, follows the same positions into `return (x, y), (u, v)`; empty when the shape does not say."""
        path: list[tuple[int, int]] = []  # (position, length) from the outermost tuple down to the target
        node = target
        while isinstance(above := self.parent.get(id(node)), (ast.Tuple, ast.List)):
            if any(isinstance(e, ast.Starred) for e in above.elts):
                return []
            path.insert(0, (next(i for i, e in enumerate(above.elts) if e is node), len(above.elts)))
            node = above
        if not (path and isinstance(value, ast.Call) and isinstance(self.parent.get(id(node)), ast.Assign)
                and frame.depth < MAX_CALL_DEPTH):
            return []
        found: list[tuple[ast.AST, Frame]] = []
        for func in self.callees(value):
            inner = self.bind(func, value, frame)
            for returned in self.returns(func):
                for index, length in path:
                    elements = getattr(returned, "elts", None)
                    if not isinstance(returned, (ast.Tuple, ast.List)) or len(elements) != length:
                        return []
                    returned = elements[index]
                found.append((returned, inner))
        return found

    def added_to(self, binding: Binding) -> list[ast.AST]:
        """The values put into a container in place: `name.append(v)`, `.extend(v)`, `.insert(i, v)`, `.add(v)`,
        `name[key] = v`."""
        if self._added is None:
            self._added = {}
            for call in self.calls:
                func = call.func
                if isinstance(func, ast.Attribute) and func.attr in _FILLERS and isinstance(func.value, ast.Name):
                    into = self.binding.get(id(func.value))
                    if into is not None and call.args:
                        self._added.setdefault(into, []).append(call.args[-1])
            for node in ast.walk(self.tree):
                # `results[label] = {...}`: an entry stored into a dict (or list) under a name.
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        into = self.binding.get(id(target.value))
                        if into is not None:
                            self._added.setdefault(into, []).append(node.value)
        return self._added.get(binding, [])

    def has_definitions(self, name: ast.Name) -> bool:
        """True when the read name is assigned or is a parameter somewhere (not an import or a builtin)."""
        binding = self.binding.get(id(name))
        return binding is not None and (bool(self.stores.get(binding)) or self.is_param(binding))

    def _call_reported(self, key: str, read: ast.AST, frame: Frame) -> list[tuple[ast.AST, Frame]]:
        """`print(f"dev acc {accuracy(model, dev_x)}")` then `set_user_attr("dev_acc", user_attrs["latest"])`,
        where only `accuracy` sets "latest": the value read is the one that call reported, so its
        arguments (not those of the function's other calls) are followed. Empty when the shape differs."""
        setters = [c for c in self.calls if last_attr(c.func) == "set_user_attr" and len(c.args) >= 2
                   and string_key(c.args[0]) == key]
        units = {id(self.unit(c)) for c in setters}
        if not setters or len(units) != 1 or isinstance(self.unit(setters[0]), ast.Module):
            return []
        func = self.unit(setters[0])
        before = self._previous_statement(self.statement(read))
        calls = [c for c in ast.walk(before) if isinstance(c, ast.Call)
                 and any(f is func for f in self.callees(c))] if before is not None else []
        if len(calls) != 1:
            return []
        inner = self.bind(func, calls[0], frame)
        return [(c.args[1], inner) for c in setters]

    def _previous_statement(self, stmt: ast.AST) -> ast.AST | None:
        """The statement just before `stmt`, or before the first enclosing statement that has one."""
        node = stmt
        while node is not None:
            holder = self.parent.get(id(node))
            if holder is None or isinstance(holder, FUNCTIONS):
                return None
            for field in ("body", "orelse", "finalbody"):
                block = getattr(holder, field, None)
                if isinstance(block, list) and any(s is node for s in block):
                    index = next(i for i, s in enumerate(block) if s is node)
                    if index > 0:
                        return block[index - 1]
            node = holder if isinstance(holder, ast.stmt) else None
        return None

    def _user_attr_values(self, key: str) -> list[tuple[ast.AST, Frame]]:
        return [
            (call.args[1], Frame(self.unit(call)))
            for call in self.calls
            if last_attr(call.func) == "set_user_attr" and len(call.args) >= 2 and string_key(call.args[0]) == key
        ]

    # ------------------------------------------------------------------ where values go
    def stored_reads(self, target: ast.AST) -> list[ast.AST]:
        """The reads of what an assignment target stores.

        A name: its reads. `obj.attr` / `obj["key"]`: every read of `.attr` / `["key"]` (or
        `.get("key")`) in the file, since the object travels under other names; when nothing reads
        the field by name, every read of the object itself.
        """
        if isinstance(target, ast.Name):
            return list(self.loads.get(self.binding[id(target)], []))
        if isinstance(target, (ast.Tuple, ast.List)):
            return [r for e in target.elts for r in self.stored_reads(e)]
        if isinstance(target, ast.Starred):
            return self.stored_reads(target.value)
        field = None
        if isinstance(target, ast.Attribute):
            field = target.attr
            reads: list[ast.AST] = [
                n for n in ast.walk(self.tree)
                if isinstance(n, ast.Attribute) and n.attr == field and isinstance(n.ctx, ast.Load)
                and not (isinstance(self.parent.get(id(n)), ast.Call) and self.parent[id(n)].func is n)
            ]
        elif isinstance(target, ast.Subscript) and string_key(target.slice) is not None:
            field = string_key(target.slice)
            reads = [
                n for n in ast.walk(self.tree)
                if isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load) and string_key(n.slice) == field
            ]
            reads += [
                c for c in self.calls
                if last_attr(c.func) == "get" and c.args and string_key(c.args[0]) == field
            ]
        else:
            reads = []
        base = getattr(target, "value", None)
        if reads:
            if isinstance(target, ast.Subscript) and isinstance(base, (ast.Name, ast.Attribute, ast.Subscript)):
                # `Adam(params, **cfg["optim"])` reads `cfg["optim"]["lr"]` without naming the key.
                reads += [r for r in self.stored_reads(base) if _unpacked(self.parent.get(id(r)))]
            return reads
        # `self.cfg["lr"]` unread by key: who reads `self.cfg`
        return self.stored_reads(base) if isinstance(base, (ast.Name, ast.Attribute, ast.Subscript)) else []


def _unpacked(holder: ast.AST | None) -> bool:
    """The read is a call's `**mapping` argument."""
    return isinstance(holder, ast.keyword) and holder.arg is None


def user_attr_key(node: ast.AST) -> str | None:
    """"k" for `trial.user_attrs["k"]` and `trial.user_attrs.get("k", ...)`."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "user_attrs":
        return string_key(node.slice)
    if (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
        and isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "user_attrs" and node.args
    ):
        return string_key(node.args[0])
    return None


def _data_nodes(node: ast.AST, through: Callable[[ast.Call], bool] | None = None) -> Iterator[ast.AST]:
    """The node and its sub-expressions, without the names that only say which function is called."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, ast.Call):
            if through is not None and not through(current):
                continue
            func = current.func
            if isinstance(func, ast.Attribute):
                stack.append(func.value)
            elif not isinstance(func, ast.Name):
                stack.append(func)
            stack.extend(current.args)
            stack.extend(k for k in current.keywords)
            continue
        if isinstance(current, (*FUNCTIONS, ast.ClassDef)) and current is not node:
            continue
        stack.extend(ast.iter_child_nodes(current))


def _outer_part(node: ast.AST, inner: set[int]) -> list[ast.AST]:
    """The direct and nested children of a scope node that are not part of its inner body."""
    found: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(node))
    while stack:
        child = stack.pop()
        if id(child) in inner:
            continue
        if isinstance(child, (ast.arguments, ast.comprehension)):
            stack.extend(ast.iter_child_nodes(child))
            continue
        found.append(child)
    return found


def _data_names(node: ast.AST) -> Iterator[ast.Name]:
    for sub in _data_nodes(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
            yield sub


def _per_element(value: ast.AST) -> ast.AST:
    """`(f(v) for v in (a, b, c))` unpacked into three names: each takes one of `(a, b, c)`."""
    if isinstance(value, (ast.GeneratorExp, ast.ListComp)) and len(value.generators) == 1:
        gen = value.generators[0]
        if isinstance(gen.iter, (ast.Tuple, ast.List)) and not gen.ifs and isinstance(gen.target, ast.Name):
            return gen.iter
    return value


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _in_field(parent: ast.AST, field: str, child: ast.AST) -> bool:
    return any(item is child for item in getattr(parent, field, []))


def _block_of(parent: ast.AST | None, child: ast.AST) -> list | None:
    """The statement list of `parent` that holds `child`."""
    if parent is None:
        return None
    for _, value in ast.iter_fields(parent):
        if isinstance(value, list) and any(item is child for item in value):
            return value
    return None
