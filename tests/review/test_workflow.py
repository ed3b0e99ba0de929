"""The example GitHub workflow keeps its promises: opt-in triggers, no executed code with secrets."""

from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "github-workflow.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_runs_only_on_a_label_or_a_comment():
    triggers = load()[True]  # YAML 1.1 reads the key `on` as True
    assert triggers == {"pull_request_target": {"types": ["labeled"]},
                        "issue_comment": {"types": ["created"]}}
    condition = load()["jobs"]["review"]["if"]
    assert "github.event.label.name == 'mlops-adapt'" in condition
    assert "startsWith(github.event.comment.body, '/mlops-adapt')" in condition
    assert "author_association" in condition


def test_the_posting_job_never_executes_pull_request_code():
    workflow = load()
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["review"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    steps = job["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    scripts = "\n".join(s.get("run", "") for s in steps)
    assert "--verify run" not in scripts and "--verify static" in scripts
    assert "pip install -e" not in scripts and "pip install ." not in scripts
    review = next(s for s in steps if "mlops-adapt review" in s.get("run", ""))
    assert review["working-directory"] == "${{ runner.temp }}"
    assert review["env"]["PYTHONSAFEPATH"] == "1"
    assert "--post" in review["run"]
    # No `${{ }}` expressions inside shell scripts (expression injection); values go via env.
    assert all("${{" not in s.get("run", "") for s in steps)
