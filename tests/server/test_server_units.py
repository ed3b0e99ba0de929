"""Unit tests of the server's bridges: settings schema, edits, action data, cheap analysis."""

from __future__ import annotations

import os

import pytest
from lsp_test_support import TRAIN_SCRIPT, apply_text_edits, package_defaults

from mlops_adapt.server import main, parse_tcp
from mlops_adapt.server.actions import ActionData, BadActionData, kind_requested
from mlops_adapt.server.analysis import DocumentAnalyses, analyze_text, hints_for
from mlops_adapt.server.settings import Settings, apply_llm_environment, parse_settings
from mlops_adapt.server.workspace_edits import text_edits, versioned_edit
from mlops_adapt.tasks import TASKS


def test_package_json_defaults_are_the_server_defaults():
    settings, warnings = parse_settings(package_defaults())
    assert warnings == []
    assert settings == Settings()
    assert set(settings.enabled_tasks) == set(TASKS)


def test_settings_accept_the_pushed_section_and_dotted_keys():
    pushed, _ = parse_settings(
        {"mlopsAdapt": {"backend": "recipe", "diagnostics": {"enabled": True}}}
    )
    dotted, _ = parse_settings(
        {"mlopsAdapt.backend": "recipe", "mlopsAdapt.diagnostics.enabled": True}
    )
    assert pushed == dotted
    assert pushed.backend == "recipe" and pushed.diagnostics.enabled is True


def test_bad_settings_keep_defaults_and_say_why():
    settings, warnings = parse_settings(
        {
            "backend": "gpt",
            "verify": 3,
            "enabledTasks": ["track-mlflow", "nope"],
            "llm": {"timeout": -1},
        }
    )
    assert settings.backend == "auto" and settings.verify == "static"
    assert settings.enabled_tasks == ("track-mlflow",)
    assert settings.llm.timeout == 120.0
    assert len(warnings) == 4 and any("nope" in w for w in warnings)
    assert parse_settings("junk") == (
        Settings(),
        ["settings must be an object, got str; using defaults"],
    )
    assert parse_settings(None) == (Settings(), [])


def test_llm_settings_reach_the_llm_config_and_decide_progress(monkeypatch):
    from mlops_adapt.llm.config import load_llm_config

    for name in ("MLOPS_ADAPT_LLM_BASE_URL", "OPENAI_BASE_URL", "MLOPS_ADAPT_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().may_use_llm is False
    settings, _ = parse_settings({"llm": {"baseUrl": "http://127.0.0.1:8000/v1", "model": "m"}})
    assert settings.may_use_llm is True
    apply_llm_environment(settings.llm)
    config = load_llm_config()
    assert (config.base_url, config.model) == ("http://127.0.0.1:8000/v1", "m")
    apply_llm_environment(Settings().llm)  # cleared again: back to the start-up environment
    assert "MLOPS_ADAPT_LLM_BASE_URL" not in os.environ


@pytest.mark.parametrize(
    "old",
    [
        TRAIN_SCRIPT,
        TRAIN_SCRIPT.rstrip("\n"),  # no newline at the end
        TRAIN_SCRIPT.replace("\n", "\r\n"),
        "# café ✓\n" + TRAIN_SCRIPT,
    ],
)
def test_text_edits_round_trip(old: str):
    new = old.replace("max_depth = 4", "max_depth = 4\nmin_samples = 2") + "\nprint('done')\n"
    edits = text_edits(old, new)
    assert 1 <= len(edits) <= 3
    assert apply_text_edits(old, edits) == new


def test_text_with_odd_line_breaks_becomes_one_whole_edit():
    old = "x = 1\x0cy = 2\n"  # a form feed: a line break to str.splitlines, not to LSP
    (edit,) = text_edits(old, "x = 1\x0cy = 3\n")
    assert (edit.range.start.line, edit.range.end.line, edit.range.end.character) == (0, 1, 0)


def test_versioned_edit_pins_the_version():
    edit = versioned_edit("file:///a.py", 9, "a = 1\n", "a = 2\n")
    (change,) = edit.document_changes
    assert change.text_document.version == 9 and change.edits[0].new_text == "a = 2\n"
    plain = versioned_edit("file:///a.py", 9, "a = 1\n", "a = 2\n", document_changes=False)
    assert plain.document_changes is None and list(plain.changes) == ["file:///a.py"]


def test_action_data_round_trips_and_rejects_foreign_data():
    data = ActionData("file:///a.py", 3, "track-mlflow")
    assert ActionData.from_json(data.to_json()) == data
    for raw in (
        None,
        [],
        {"uri": "", "version": 1, "task": "track-mlflow"},
        {"uri": "u", "version": True, "task": "x"},
    ):
        with pytest.raises(BadActionData):
            ActionData.from_json(raw)


def test_kind_filter_matches_sub_kinds_only():
    assert kind_requested("refactor.rewrite.mlops.track-mlflow", ["refactor"])
    assert kind_requested("refactor.rewrite.mlops.track-mlflow", None)
    assert not kind_requested("refactor.rewrite.mlops.track-mlflow", ["refactor.re"])
    assert not kind_requested("quickfix", ["refactor"])


def test_cheap_analysis_lists_tracking_and_points_at_training():
    assert "track-mlflow" in analyze_text(TRAIN_SCRIPT).tasks
    (hint,) = [h for h in hints_for(TRAIN_SCRIPT) if "track-mlflow" in h.tasks]
    assert TRAIN_SCRIPT.splitlines()[hint.line] == "model.fit(X_train, y_train)"
    assert analyze_text("def f(:\n").tasks == ()
    assert hints_for("def f(:\n") == ()


def test_cheap_analysis_imports_nothing_heavy():
    import subprocess
    import sys

    code = (
        "import sys, mlops_adapt.server.app as app; from mlops_adapt.server.analysis import analyze_text;"
        f"analyze_text({TRAIN_SCRIPT!r});"
        "print(sorted(m for m in ('torch','chromadb','sentence_transformers','mlflow','wandb','openai')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_main_rejects_a_bad_tcp_address():
    assert parse_tcp("127.0.0.1:2087") == ("127.0.0.1", 2087)
    assert parse_tcp(":2087") == ("127.0.0.1", 2087)
    with pytest.raises(SystemExit) as stop:
        main(["--tcp", "localhost"])
    assert stop.value.code == 2


def test_listing_uses_the_latest_analysis_until_a_change_is_analysed():
    analyses = DocumentAnalyses()
    first = analyses.for_listing("file:///a.py", TRAIN_SCRIPT)  # nothing known yet: analysed now
    assert "track-mlflow" in first.tasks
    # Changed text whose background analysis has not landed: the previous analysis answers.
    assert analyses.for_listing("file:///a.py", "x = 1\n") is first
    analyses.store("file:///a.py", analyze_text("x = 1\n"))
    assert analyses.for_listing("file:///a.py", "x = 1\n").tasks == ()
    analyses.forget("file:///a.py")
    assert analyses.for_listing("file:///a.py", TRAIN_SCRIPT) == first


@pytest.mark.parametrize(("encoding", "units"), [("utf-8", 21), ("utf-16", 16), ("utf-32", 15)])
def test_appending_after_a_non_ascii_last_line_counts_in_the_client_encoding(encoding, units):
    old = 'x = 1\nprint("é✓🙂", x)\n'  # last line: 15 code points, 16 UTF-16 units, 21 bytes
    (edit,) = text_edits(old, old + "done()\n", encoding)
    assert (edit.range.start.line, edit.range.start.character) == (1, units)
    assert edit.new_text == "\ndone()"
