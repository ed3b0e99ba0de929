"""`mlops-adapt apply --backend llm` end to end: only verified edits are written, failures leave files alone."""

from __future__ import annotations

from llm_scripts import DELETED, GOOD, HALLUCINATED, SCRIPT, SYNTAX_ERROR, fenced, sequence

from mlops_adapt.cli import main

BROKEN = [fenced(HALLUCINATED), fenced(DELETED), fenced(SYNTAX_ERROR)]


def _script(folder, name="train.py"):
    path = folder / name
    path.write_text(SCRIPT)
    return path


def test_every_answer_broken_exits_3_and_leaves_the_file(serve, llm_env, capsys):
    serve(sequence(BROKEN))
    path = _script(llm_env)
    code = main(["apply", "track-mlflow", str(path), "--backend", "llm", "--write", "--unsafe"])
    assert code == 3
    assert path.read_text() == SCRIPT
    err = capsys.readouterr().err
    assert "no verified edit" in err and "log_hyperparams" in err


def test_a_verified_llm_edit_is_written_only_when_unsafe_edits_are_allowed(serve, llm_env, capsys):
    serve(sequence([fenced(HALLUCINATED), fenced(GOOD), fenced(DELETED)]))
    path = _script(llm_env)
    # Without V5 an LLM edit is labelled unsafe, and batch writes only safe edits by default.
    assert main(["apply", "track-mlflow", str(path), "--backend", "llm", "--write"]) == 3
    assert path.read_text() == SCRIPT
    assert (
        main(["apply", "track-mlflow", str(path), "--backend", "llm", "--write", "--unsafe"]) == 0
    )
    assert path.read_text() == GOOD


def test_a_down_endpoint_gives_a_clear_error_and_touches_nothing(
    monkeypatch, closed_port_url, llm_env, capsys
):
    monkeypatch.setenv("MLOPS_ADAPT_LLM_BASE_URL", closed_port_url)
    monkeypatch.setenv("MLOPS_ADAPT_LLM_MODEL", "any")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_RETRIES", "1")
    path = _script(llm_env)
    assert (
        main(["apply", "track-mlflow", str(path), "--backend", "llm", "--write", "--unsafe"]) == 3
    )
    assert path.read_text() == SCRIPT
    assert f"the LLM endpoint {closed_port_url} is unreachable" in capsys.readouterr().err


def test_a_slow_endpoint_times_out_clearly_and_touches_nothing(serve, monkeypatch, llm_env, capsys):
    serve(sequence([fenced(GOOD)]), delay=20)
    monkeypatch.setenv("MLOPS_ADAPT_LLM_TIMEOUT", "1")
    path = _script(llm_env)
    assert (
        main(["apply", "track-mlflow", str(path), "--backend", "llm", "--write", "--unsafe"]) == 3
    )
    assert path.read_text() == SCRIPT
    assert "did not answer within 1 s" in capsys.readouterr().err


def test_the_key_is_not_printed(serve, monkeypatch, llm_env, capsys):
    serve(sequence([fenced(GOOD)]), api_key="server-side-key")
    monkeypatch.setenv("MLOPS_ADAPT_LLM_API_KEY", "sk-client-side-secret")
    path = _script(llm_env)
    report = llm_env / "report.json"
    assert (
        main(["apply", "track-mlflow", str(path), "--backend", "llm", "--json", str(report)]) == 3
    )
    out = capsys.readouterr()
    assert "rejected the API key" in out.err
    assert "sk-client-side-secret" not in out.err + out.out + report.read_text()


def test_jobs_run_several_files(serve, llm_env, capsys):
    serve(lambda body, i: [fenced(GOOD)] * body["n"])
    paths = [_script(llm_env, f"train_{i}.py") for i in range(4)]
    assert main(["apply", "track-mlflow", *map(str, paths), "--backend", "llm", "--jobs", "4"]) == 0
    out = capsys.readouterr().out
    assert all(f"{p}" in out for p in paths)
    assert out.count("+import mlflow") == 4
    assert all(p.read_text() == SCRIPT for p in paths)  # --diff writes nothing
