"""rdjson and SARIF output: valid against their schemas, and their fixes rebuild the verified edit."""

from __future__ import annotations

import json

import jsonschema
import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.review.findings import FileEdit
from mlops_adapt.review.gitdiff import ChangedFile
from mlops_adapt.review.render_rdjson import render_rdjson
from mlops_adapt.review.render_sarif import render_sarif
from mlops_adapt.verify.pipeline import verify_candidate

from .conftest import SCHEMAS, TRAIN_LONG, TRAIN_RF, run_review_cli


def load_schema(name: str) -> dict:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


def validate(document: dict, name: str) -> None:
    jsonschema.Draft7Validator(load_schema(name),
                               format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
                               ).validate(document)


def offsets(text: str) -> list[int]:
    """Character offset where each 1-based line starts (index 0 unused), plus the end."""
    starts = [0, 0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def apply_positional(text: str, edits: list[tuple[int, int, int, int, str]]) -> str:
    """Apply (start line, start col, end line, end col, new text) replacements, 1-based, end exclusive.

    Columns here are ASCII-only test texts, so bytes, UTF-16 units and characters agree.
    """
    starts = offsets(text)

    def at(line: int, col: int) -> int:
        return starts[line] + col - 1 if line < len(starts) else len(text)

    for sl, sc, el, ec, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:at(sl, sc)] + new + text[at(el, ec):]
    return text


@pytest.fixture
def pr(repo):
    repo.write("README.md", "# project\n")
    repo.write("old/train.py", TRAIN_LONG)
    base = repo.commit("base")
    repo.branch("pr")
    repo.write("new/train.py", TRAIN_RF)
    repo.write("old/train.py", TRAIN_LONG.replace("min_samples_leaf = 2", "min_samples_leaf = 3"))
    head = repo.commit("pr")
    return repo, base, head


def test_rdjson_is_valid_and_its_suggestions_rebuild_the_edit(pr):
    repo, _, _ = pr
    done = run_review_cli(repo, "--base", "main", "--head", "pr", "--format", "rdjson")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    validate(document, "rdjson.schema.json")
    diagnostics = {d["location"]["path"]: d for d in document["diagnostics"]}
    # Both changed scripts get one diagnostic; reviewdog itself filters by the diff.
    assert set(diagnostics) == {"new/train.py", "old/train.py"}
    for path, diag in diagnostics.items():
        assert diag["code"]["value"] == "track-mlflow" and diag["severity"] == "INFO"
        original = repo.read(path)
        edits = [(s["range"]["start"]["line"], s["range"]["start"]["column"],
                  s["range"]["end"]["line"], s["range"]["end"]["column"], s["text"])
                 for s in diag["suggestions"]]
        result = apply_positional(original, edits)
        report = verify_candidate(original, result, "track-mlflow", AdaptOptions())
        assert report.ok, (path, report.failures)
        assert result != original


def test_sarif_is_valid_and_its_fixes_rebuild_the_edit(pr):
    repo, _, _ = pr
    done = run_review_cli(repo, "--base", "main", "--head", "pr", "--format", "sarif")
    assert done.returncode == 0, done.stderr
    log = json.loads(done.stdout)
    validate(log, "sarif-2.1.0-subset.schema.json")
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["track-mlflow"]
    results = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r
               for r in run["results"]}
    assert set(results) == {"new/train.py", "old/train.py"}
    for path, result in results.items():
        assert result["ruleId"] == "track-mlflow" and result["ruleIndex"] == 0
        assert result["properties"]["safety"] == "safe"
        change = result["fixes"][0]["artifactChanges"][0]
        assert change["artifactLocation"]["uri"] == path
        original = repo.read(path)
        edits = [(r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"],
                  r["deletedRegion"]["endLine"], r["deletedRegion"]["endColumn"],
                  r["insertedContent"]["text"]) for r in change["replacements"]]
        fixed = apply_positional(original, edits)
        assert verify_candidate(original, fixed, "track-mlflow", AdaptOptions()).ok


def test_schemas_reject_malformed_documents():
    """The schemas are strict enough to catch mistakes (each mutation must fail validation)."""
    edit = FileEdit(ChangedFile("t.py", None, "added", ((1, 3),)), "a = 1\nb = 2\n",
                    "import x\na = 1\nb = 2\nx.go()\n", ("track-mlflow",), "safe", ())
    good_rd = render_rdjson([edit])
    validate(good_rd, "rdjson.schema.json")
    good_sarif = render_sarif([edit])
    validate(good_sarif, "sarif-2.1.0-subset.schema.json")

    bad_rd = json.loads(json.dumps(good_rd))
    bad_rd["diagnostics"][0]["severity"] = "NOTICE"
    with pytest.raises(jsonschema.ValidationError):
        validate(bad_rd, "rdjson.schema.json")
    bad_rd = json.loads(json.dumps(good_rd))
    del bad_rd["diagnostics"][0]["suggestions"][0]["range"]["start"]
    with pytest.raises(jsonschema.ValidationError):
        validate(bad_rd, "rdjson.schema.json")

    for mutate in (
        lambda s: s.update(version="2.0.0"),
        lambda s: s["runs"][0]["results"][0].update(level="info"),
        lambda s: s["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0].update(replacements=[]),
        lambda s: s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
        lambda s: s["runs"][0]["tool"]["driver"].pop("name"),
    ):
        bad = json.loads(json.dumps(good_sarif))
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate(bad, "sarif-2.1.0-subset.schema.json")


def test_edit_at_the_end_of_a_file_without_final_newline():
    edit = FileEdit(ChangedFile("t.py", None, "added", ((1, 2),)), "a = 1\nb = 2",
                    "a = 1\nb = 2\nprint(b)\n", ("track-mlflow",), "safe", ())
    replacement = render_sarif([edit])["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0][
        "replacements"][0]
    region = replacement["deletedRegion"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (2, 1, 2, 6)
    edits = [(2, 1, 2, 6, replacement["insertedContent"]["text"])]
    assert apply_positional(edit.original, edits) == edit.code
    suggestion = render_rdjson([edit])["diagnostics"][0]["suggestions"][0]
    assert suggestion["range"] == {"start": {"line": 2, "column": 1}, "end": {"line": 2, "column": 6}}
