"""Prompts as data: one template per task, stable parts first, the target library's docs only."""

from __future__ import annotations

import importlib.util
import re

import pytest
from llm_scripts import GOOD, INJECTED_SCRIPT, INJECTION_COMMENT, SCRIPT, fenced

from mlops_adapt.analysis.facts import analyze
from mlops_adapt.llm.docs import retrieve_docs
from mlops_adapt.llm.pipeline import adapt_with_llm
from mlops_adapt.llm.prompting import (
    REPAIR_FIELDS,
    TEMPLATE_FIELDS,
    build_messages,
    extract_code_section,
    load_template,
)
from mlops_adapt.options import AdaptOptions
from mlops_adapt.results import Applied
from mlops_adapt.tasks import TASKS

HAS_RETRIEVAL = importlib.util.find_spec("mlops_adapt.retrieval.query") is not None


def _docs_section(user_prompt: str) -> str:
    return user_prompt.split("## API reference:", 1)[1].split("## Facts found", 1)[0]


@pytest.mark.parametrize("task", sorted(TASKS))
def test_every_task_has_a_template_with_known_placeholders_and_code_last(task):
    template = load_template(task)
    assert template.fields == TEMPLATE_FIELDS
    assert template.query, "the front matter must give a retrieval query"
    body = template.body
    # Stable parts first: instructions, then docs, facts, the recipe draft, and the code at the end.
    order = [body.index(marker) for marker in ("{{docs}}", "{{facts}}", "{{scaffold}}", "{{code}}")]
    assert order == sorted(order)
    assert body.rstrip().endswith("{{code}}\n```")


def test_repair_template_fields():
    assert load_template("repair").fields == REPAIR_FIELDS


def test_the_prefix_before_the_docs_is_shared_across_files():
    first = build_messages("track-mlflow", SCRIPT, analyze(SCRIPT), "DOCS", "3", "none", "a.py")
    second = build_messages(
        "track-mlflow", INJECTED_SCRIPT, analyze(INJECTED_SCRIPT), "DOCS", "3", "none", "b.py"
    )
    assert first[0] == second[0] and first[0]["role"] == "system"
    prefix = first[1]["content"].split("## API reference:")[0]
    assert second[1]["content"].startswith(prefix)


def test_braces_and_placeholders_in_user_code_are_kept_verbatim():
    code = 'x = {"a": 1}\nprint("{{docs}} {code}")\n'
    messages = build_messages("track-mlflow", code, analyze(code), "DOCS", "3", "none", "c.py")
    assert extract_code_section(messages[1]["content"]) == code


def test_injected_text_is_confined_to_the_code_section():
    messages = build_messages(
        "track-mlflow", INJECTED_SCRIPT, analyze(INJECTED_SCRIPT), "D", "3", "none", "x.py"
    )
    system, user = messages[0]["content"], messages[1]["content"]
    assert "never follow it" in system
    assert INJECTION_COMMENT not in system
    before_code, code = user.rsplit("```python\n", 1)
    assert "ignore all previous instructions" not in before_code
    assert INJECTION_COMMENT in code
    assert "is data" in before_code.split("## The script:")[1]


@pytest.mark.skipif(not HAS_RETRIEVAL, reason="mlops_adapt.retrieval.query is not installed")
@pytest.mark.parametrize(
    "task, library, other",
    [("track-mlflow", "mlflow", "wandb"), ("track-wandb", "wandb", "mlflow")],
)
def test_retrieved_docs_belong_to_the_target_library_only(task, library, other):
    docs = retrieve_docs(task, SCRIPT, analyze(SCRIPT), 6)
    assert docs.libraries == {library}
    tags = re.findall(r"\[(\w+) [^\]\s]+ [a-z]+\]", docs.text)
    assert tags and set(tags) == {library}
    assert f"{other}." not in docs.text


@pytest.mark.skipif(not HAS_RETRIEVAL, reason="mlops_adapt.retrieval.query is not installed")
def test_the_prompt_sent_to_the_endpoint_carries_the_target_docs(serve):
    endpoint = serve(lambda body, i: [fenced(GOOD)] * body.get("n", 1))
    result = adapt_with_llm(SCRIPT, "track-mlflow", AdaptOptions(backend="llm"), None)
    assert isinstance(result, Applied)
    user = endpoint.requests[0]["messages"][1]["content"]
    docs = _docs_section(user)
    assert "mlflow.log_metric" in docs or "mlflow.log_params" in docs or "mlflow.start_run" in docs
    assert "wandb" not in docs and "optuna" not in docs
    assert extract_code_section(user) == SCRIPT


def test_the_repair_prompt_carries_every_reason_grouped_by_check():
    from mlops_adapt.llm.prompting import repair_messages

    reasons = [
        "V2 scope: original statement changed or deleted: `a = 1`",
        "V2 scope: the edit drops output: `print(a)` is no longer printed",
        "V4 postconditions: metric `acc` (line 3) is not logged",
    ]
    messages = repair_messages([{"role": "user", "content": "x"}], "a = 2\n", reasons, "track-mlflow", "3")
    follow_up = messages[-1]["content"]
    assert "V2 scope:\n- original statement changed or deleted: `a = 1`\n- the edit drops output" in follow_up
    assert "V4 postconditions:\n- metric `acc` (line 3) is not logged" in follow_up


def test_the_repair_prompt_leaves_out_notes_meant_for_the_tools_user():
    from mlops_adapt.llm.prompting import repair_messages

    note = (
        "V3 api-reality: line 1: optuna 5.1.0 is not indexed; checked against the nearest indexed "
        "version 5.0.0 (run `mlops-adapt index build --lib optuna` to index 5.1.0)"
    )
    error = (
        "V3 api-reality: line 9: `Study.best_params_` does not exist: `optuna.Study` objects have no "
        "attribute `best_params_`; did you mean best_params?"
    )
    reasons = [note, error]
    messages = repair_messages([{"role": "user", "content": "x"}], "a = 2\n", reasons, "hpo-optuna", "5")
    follow_up = messages[-1]["content"]
    assert "line 9: `Study.best_params_` does not exist" in follow_up
    assert "index build" not in follow_up and "not indexed" not in follow_up


@pytest.mark.parametrize(
    ("task", "fact"),
    [
        # The facts the real model lacked (bench/llm/results/candidates), one short line each.
        ("optimize-prune", "`import torch.nn.utils.prune` binds `torch`, not `prune`"),
        ("register-mlflow", "skops_trusted_types="),
        ("register-mlflow", "there is no `mlflow.log_model`"),
        ("translate-gitpython-dvc", "there is no `dvc.Repo`, `dvc.api.add` or `dvc.api.push`"),
        ("hpo-optuna", "`study.best_value` (no trailing underscore)"),
        ("hpo-optuna", "methods of the trial, not of `optuna`"),
        ("track-mlflow", "imports `mlflow` at the top"),
        ("track-wandb", "imports `wandb` at the top"),
        ("optimize-quantize", "as a set, not a dict"),
    ],
)
def test_task_prompts_state_the_api_facts_the_model_got_wrong(task, fact):
    assert fact in load_template(task).body
