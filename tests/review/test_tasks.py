"""Which engine edits the bot offers: safe only by default, unsafe on request, tasks chained."""

from __future__ import annotations

import json

import pytest

from mlops_adapt.options import AdaptOptions
from mlops_adapt.verify.pipeline import verify_candidate

from .conftest import TRAIN_RF, run_review_cli
from .test_post import apply_github_suggestions


@pytest.fixture
def pr(repo):
    repo.write("README.md", "# project\n")
    repo.commit("base")
    repo.branch("pr")
    repo.write("train.py", TRAIN_RF)
    repo.commit("add script")
    return repo


def test_unsafe_edits_are_withheld_unless_asked_for(pr):
    done = run_review_cli(pr, "--base", "main", "--head", "pr", "--task", "hpo-optuna")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {}
    assert "train.py [hpo-optuna]: edit labelled unsafe" in done.stderr and "--unsafe" in done.stderr

    done = run_review_cli(pr, "--base", "main", "--head", "pr", "--task", "hpo-optuna", "--unsafe")
    assert done.returncode == 0, done.stderr
    comments = json.loads(done.stdout)["comments"]
    assert comments and all("labelled `unsafe`" in c["body"] for c in comments)
    result = apply_github_suggestions(TRAIN_RF, comments)
    assert "optuna" in result
    assert verify_candidate(TRAIN_RF, result, "hpo-optuna", AdaptOptions()).ok


def test_several_required_tasks_are_applied_in_turn(pr):
    done = run_review_cli(pr, "--base", "main", "--head", "pr",
                          "--task", "track-mlflow", "--task", "register-mlflow")
    assert done.returncode == 0, done.stderr
    comments = json.loads(done.stdout)["comments"]
    assert all("(track-mlflow, register-mlflow)" in c["body"] for c in comments)
    result = apply_github_suggestions(TRAIN_RF, comments)
    assert "with mlflow.start_run(" in result and "registered_model_name" in result
    # The last task's rules judge the whole result (its allowlist covers the tracking edit's too):
    # the model is logged inside the tracking run, not in a second run.
    registered = verify_candidate(TRAIN_RF, result, "register-mlflow", AdaptOptions())
    assert registered.ok, registered.failures


def test_an_already_adapted_script_gets_nothing(repo):
    repo.write("README.md", "x\n")
    repo.commit("base")
    repo.branch("pr")
    repo.write("train.py", TRAIN_RF)
    repo.commit("add")
    first = run_review_cli(repo, "--base", "main", "--head", "pr")
    adapted = apply_github_suggestions(TRAIN_RF, json.loads(first.stdout)["comments"])
    repo.write("train.py", adapted)
    repo.commit("commit the suggestions")
    done = run_review_cli(repo, "--base", "main", "--head", "pr")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {}
