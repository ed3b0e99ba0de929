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
