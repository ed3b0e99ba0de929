"""The PR bot on a pull request that adds a notebook: its verified edit is posted by cell in the
review body (never as a suggestion on raw JSON), once, and it is the edit `apply` makes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from .conftest import ROOT, TRAIN_RF, github_env, run_review_cli, write_event

NOTEBOOK = ROOT / "tests" / "notebook" / "notebooks" / "sk_wine.ipynb"
DIFF_BLOCK = re.compile(r"(`{3,})diff\n(.*?)\1\n", re.DOTALL)


def test_a_notebook_edit_is_posted_by_cell_in_the_review_body(repo, make_fake_github, tmp_path):
    repo.write("README.md", "# wine\n")
    base = repo.commit("base")
    repo.branch("feature")
    repo.write("notebooks/wine.ipynb", NOTEBOOK.read_bytes())
    repo.write("src/train.py", TRAIN_RF)
    head = repo.commit("add a notebook and a script")
    server = make_fake_github(head, repo.commentable(base, head))
    env = github_env(server, write_event(tmp_path, head_sha=head))

    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--post", env_extra=env)
    assert done.returncode == 0, done.stderr
    (post,) = server.posts()
    posted = post["body"]
    # The script gets its inline suggestion; the notebook none (its lines are JSON).
    assert {c["path"] for c in posted["comments"]} == {"src/train.py"}
    body = posted["body"]
    assert "<code>notebooks/wine.ipynb</code> (notebook)" in body
    assert "`mlops-adapt apply track-mlflow notebooks/wine.ipynb --write`" in body
    assert '"cell_type"' not in body and '\\n",' not in body
    blocks = [b for _, b in DIFF_BLOCK.findall(body)]
    (cell_diff,) = [b for b in blocks if "wine.ipynb (cell" in b]
    assert re.findall(r"^\+\+\+ b/notebooks/wine\.ipynb \((.*)\)$", cell_diff, re.MULTILINE) == [
        "cell 1", "cell 4", "cell 5", "new cell after cell 6"]

    # What the comment tells the author to run makes exactly the edit it shows.
    shown = subprocess.run(
        [sys.executable, "-m", "mlops_adapt", "apply", "track-mlflow", "notebooks/wine.ipynb"],
        cwd=repo.root, capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == cell_diff

    # A second run finds the notebook's fingerprint and posts nothing.
    again = run_review_cli(repo, "--base", "main", "--head", "feature", "--post", env_extra=env)
    assert again.returncode == 0, again.stderr
    assert "nothing new to post" in again.stderr
    assert len(server.posts()) == 1


def test_a_broken_notebook_is_a_note_not_a_failure(repo):
    repo.write("README.md", "# wine\n")
    repo.commit("base")
    repo.branch("feature")
    repo.write("broken.ipynb", '{"cells": [')
    repo.commit("broken notebook")
    done = run_review_cli(repo, "--base", "main", "--head", "feature")
    assert done.returncode == 0, done.stderr
    assert "broken.ipynb [-]: not a notebook: invalid JSON" in done.stderr
    assert done.stdout.strip() == "{}"


def test_sarif_carries_the_notebook_edit_as_json_replacements(repo):
    repo.write("README.md", "# wine\n")
    repo.commit("base")
    repo.branch("feature")
    repo.write("wine.ipynb", NOTEBOOK.read_bytes())
    repo.commit("notebook")
    done = run_review_cli(repo, "--base", "main", "--head", "feature", "--format", "sarif")
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)["runs"][0]["results"]
    inserted = "".join(r["insertedContent"]["text"] for r in
                       result["fixes"][0]["artifactChanges"][0]["replacements"])
    assert '"import mlflow' in inserted  # machine-applicable edits of the notebook file itself
