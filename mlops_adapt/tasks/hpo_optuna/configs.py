"""Settings kept in sections of a config: a nested dict (`CONFIG = {"optim": {"lr": 0.01}}`) or a JSON
document in the script (`config = json.loads(CONFIG_JSON)`); each setting is searched where the config is made."""

from __future__ import annotations

import json
import re

import libcst as cst

from mlops_adapt.analysis.exprs import call_name, code, iter_nodes, literal_value, string_value
from mlops_adapt.analysis.hpo import Tunable, search_space
from mlops_adapt.analysis.scan import ParamSite, Scan
from mlops_adapt.analysis.sites import Ctx
from mlops_adapt.vocabulary import is_metric_name

# Sections that describe the data, where files go or how results are shown: not the model's settings.
NOT_MODEL_SECTION = re.compile(r"^(data|dataset|datasets|paths?|io|files?|logging|log|output|outputs|eval|evaluation|test)$",
                               re.IGNORECASE)


def sectioned_config_tunables(scan: Scan, taken: set[str]) -> list[Tunable]:
    """One tunable per literal setting of each model section of a config (one level of sections; the
    top level's own literal settings too), overridden right after the config is made:
    `CONFIG["optim"]["lr"] = trial.suggest_float("lr", ...)`."""
    found: list[Tunable] = []
    names = set(taken)
    strings = _module_strings(scan.module)
    for body, func in scan.blocks:
        for stmt in body:
            made = _config_made(stmt, strings)
            if made is None:
                continue
            name, config = made
            groups = [(name, None, config)] + [
                (f'{name}["{section}"]', section, values)
                for section, values in config.items()
                if isinstance(values, dict) and not NOT_MODEL_SECTION.match(section)
            ]
            if len(groups) == 1:
                continue  # a flat dict: the shared analysis reads those
            site_of: dict[str, ParamSite] = {}
            for owner, section, values in groups:
                for key, default in values.items():
                    if isinstance(default, (dict, list)) or default is None:
                        continue
                    param = key if key not in names else f"{section or name}_{key}"
                    suggest = search_space(param, default, key=key, script_strings=scan.strings,
                                           imports=set(scan.imported_modules))
                    if suggest is None or param in names:
                        continue
                    site = site_of.setdefault(owner, ParamSite(stmt, "after", "config-dict", owner=owner,
                                                               line=scan.line_of(stmt), ctx=Ctx(function=func)))
                    site.keys.append(key)
                    names.add(param)
                    found.append(Tunable(param, key, default, suggest, site, "config-dict"))
    return found


def _config_made(stmt: cst.CSTNode, strings: dict[str, str]) -> tuple[str, dict] | None:
    """(the config's name, its settings) for `NAME = {...}` of sections, or `NAME = json.loads(DOC)` with
    DOC a JSON object written in the script."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)):
        return None
    value = small.value
    config: object = None
    if isinstance(value, cst.Dict):
        config = literal_value(value)
    elif isinstance(value, cst.Call) and call_name(value) == "json.loads" and len(value.args) == 1:
        document = value.args[0].value
        text = strings.get(document.value) if isinstance(document, cst.Name) else string_value(document)
        try:
            config = json.loads(text) if text else None
        except ValueError:
            config = None
    if not isinstance(config, dict) or not any(isinstance(v, dict) for v in config.values()):
        return None
    return small.targets[0].target.value, config


def _module_strings(module: cst.Module) -> dict[str, str]:
    """Module-level names bound once to a string literal (`CONFIG_JSON = \"\"\"{...}\"\"\"`)."""
    found: dict[str, str] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
            small = stmt.body[0]
            text = string_value(small.value)
            for target in small.targets:
                if isinstance(target.target, cst.Name) and text is not None:
                    found[target.target.value] = text
    return found




def config_sections(module: cst.Module) -> dict[str, list[str]]:
    """Section name -> the settings a trial may search in it (literal numbers and strings), for every
    sectioned config of the script; a data or output section lists none."""
    strings = _module_strings(module)
    found: dict[str, list[str]] = {}
    for stmt in iter_nodes(module, skip=(cst.BaseExpression,)):
        made = _config_made(stmt, strings)
        for section, values in (made[1].items() if made else ()):
            if isinstance(values, dict):
                found.setdefault(section.lower(), [])
                if not NOT_MODEL_SECTION.match(section):
                    found[section.lower()] += [
                        k for k, v in values.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)
                    ]
    return found


# `float("inf")`, `-math.inf`, `np.inf`: where a running best starts.
_INFINITY = re.compile(r"-?\s*(float\(\s*[\"'][-+]?inf\w*[\"']\s*\)|(math|np|numpy)\.inf)")


def result_record_keys(module: cst.Module) -> set[str]:
    """Keys of a dict the script fills with results as it runs (`best = {"accuracy": 0.0, "epoch": 0}`,
    later `best.update(accuracy=acc)` or `best["epoch"] = epoch`): a record of outcomes, not settings.
    Such a dict starts from numbers (or None) and names at least one metric among its keys."""
    updated: set[str] = set()
    for node in iter_nodes(module):
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "update":
            if isinstance(node.func.value, cst.Name):
                updated.add(node.func.value.value)
        elif isinstance(node, cst.Assign):
            updated |= {
                t.target.value.value for t in node.targets
                if isinstance(t.target, cst.Subscript) and isinstance(t.target.value, cst.Name)
            }
    keys: set[str] = set()
    for node in iter_nodes(module):
        if not (isinstance(node, cst.Assign) and isinstance(node.value, cst.Dict) and len(node.targets) == 1):
            continue
        target = node.targets[0].target
        if not (isinstance(target, cst.Name) and target.value in updated):
            continue
        entries = [e for e in node.value.elements if isinstance(e, cst.DictElement)]
        names = [string_value(e.key) or "" for e in entries]
        starts = [literal_value(e.value) for e in entries]
        numbers = all(
            v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) or _INFINITY.fullmatch(code(e.value))
            for v, e in zip(starts, entries)
        )
        if entries and numbers and any(is_metric_name(n) for n in names):
            keys |= set(names)
    return keys - {""}


# A parser method that returns one instance per dataclass it was given (transformers' HfArgumentParser and
# look-alikes): `parse_args_into_dataclasses()`, `parse_json_file(...)`, `parse_dict(...)`.
_PARSES_INTO_DATACLASSES = re.compile(r"^parse_(args_into_dataclasses|json_file|yaml_file|dict)$")


def parsed_dataclass_tunables(scan: Scan, taken: set[str]) -> list[Tunable]:
    """`model_args, training_args = parser.parse_args_into_dataclasses()` where `parser = SomeParser((ModelArguments,
    TrainingArguments))`: each instance's literal field defaults (`lr: float = field(default=5e-3)`) are searched
    right after the parse, on the instance the script goes on to read (`training_args.lr = trial.suggest_...`)."""
    classes = {c.name.value: c for c in iter_nodes(scan.module, skip=(cst.BaseExpression,))
               if isinstance(c, cst.ClassDef) and c.name.value in scan.dataclass_defaults}
    found: list[Tunable] = []
    names = set(taken)
    for body, func in scan.blocks:
        parsers: dict[str, list[str]] = {}  # parser name -> the dataclasses it parses into, in order
        for stmt in body:
            assign = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
            if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.value, cst.Call)):
                continue
            target, value = assign.targets[0].target, assign.value
            if isinstance(target, cst.Name):
                types = _dataclass_types(value, classes)
                if types:
                    parsers[target.value] = types
                continue
            parser = value.func.value if isinstance(value.func, cst.Attribute) else None
            if not (isinstance(parser, cst.Name) and parser.value in parsers
                    and _PARSES_INTO_DATACLASSES.match(value.func.attr.value) and isinstance(target, (cst.Tuple, cst.List))):
                continue
            instances = [e.value.value if isinstance(e.value, cst.Name) else "" for e in target.elements]
            if len(instances) != len(parsers[parser.value]):
                continue
            for instance, cls in zip(instances, parsers[parser.value]):
                site = ParamSite(stmt, "after", "dataclass", whole=f"dataclasses.asdict({instance})", owner=cls,
                                 line=scan.line_of(stmt), ctx=Ctx(function=func))
                for key, default in _field_defaults(classes[cls]).items():
                    param = key if key not in names else f"{cls}_{key}"
                    suggest = search_space(param, default, key=key, script_strings=scan.strings,
                                           imports=set(scan.imported_modules))
                    if not instance or suggest is None or param in names:
                        continue
                    site.keys.append(key)
                    names.add(param)
                    found.append(Tunable(param, key, default, suggest, site, "dataclass"))
    return found


def _dataclass_types(call: cst.Call, classes: dict[str, cst.ClassDef]) -> list[str]:
    """[ModelArguments, TrainingArguments] for `Parser((ModelArguments, TrainingArguments))` (or one class)."""
    if len(call.args) != 1 or call.args[0].keyword is not None:
        return []
    given = call.args[0].value
    items = [e.value for e in given.elements] if isinstance(given, (cst.Tuple, cst.List)) else [given]
    types = [code(i) for i in items]
    return types if all(t in classes for t in types) else []


def _field_defaults(cls: cst.ClassDef) -> dict[str, object]:
    """Field -> literal default, read from `x: int = 3` and `x: int = field(default=3, metadata=...)`."""
    found: dict[str, object] = {}
    for stmt in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
        small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
        if not (isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None):
            continue
        value = small.value
        if isinstance(value, cst.Call) and call_name(value) in ("field", "dataclasses.field"):
            value = next((a.value for a in value.args if a.keyword is not None and a.keyword.value == "default"), None)
        default = literal_value(value) if value is not None else None
        if isinstance(default, (int, float, str)) and not isinstance(default, bool):
            found[small.target.value] = default
    return found
