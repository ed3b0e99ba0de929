"""`[tool.mlops-adapt.review]`: required tasks and path globs, read from the base commit."""

from __future__ import annotations

import json

import pytest

from mlops_adapt.review.config import ConfigError, config_from_table, glob_matches

from .conftest import TRAIN_RF, run_review_cli

POLICY = """\
[project]
name = "wine"

[tool.mlops-adapt.review]
tasks = ["track-wandb"]
paths = ["ml/**/*.py"]
exclude = ["ml/experiments/*"]
"""


@pytest.mark.parametrize("pattern, path, expected", [
    ("**/*.py", "train.py", True),
    ("**/*.py", "a/b/train.py", True),
    ("ml/**/*.py", "ml/train.py", True),
    ("ml/**/*.py", "ml/deep/er/train.py", True),
    ("ml/**/*.py", "other/ml/train.py", False),
    ("ml/*.py", "ml/deep/train.py", False),
    ("train_?.py", "train_a.py", True),
    ("scripts/**", "scripts/x/y.py", True),
])
def test_globs(pattern, path, expected):
    assert glob_matches(pattern, path) is expected


def test_bad_tables_are_clear_errors():
    with pytest.raises(ConfigError, match="unknown task"):
        config_from_table({"tasks": ["track-everything"]})
    with pytest.raises(ConfigError, match="unknown key"):
        config_from_table({"task": ["track-mlflow"]})
    with pytest.raises(ConfigError, match="paths must be a list of strings"):
        config_from_table({"paths": [1, 2]})
    assert config_from_table({"tasks": "track-wandb"}).tasks == ("track-wandb",)


@pytest.fixture
def policy_repo(repo):
    repo.write("pyproject.toml", POLICY)
    repo.commit("policy")
    repo.branch("pr")
    repo.write("ml/train.py", TRAIN_RF)
    repo.write("ml/experiments/try.py", TRAIN_RF)
    repo.write("tools/train.py", TRAIN_RF)
    # The PR tries to switch the bot off for itself; the base commit's policy still applies.
    repo.write("pyproject.toml", POLICY.replace('tasks = ["track-wandb"]', "tasks = []"))
    repo.commit("pr")
    return repo


def test_policy_from_the_base_commit_picks_tasks_and_paths(policy_repo):
    done = run_review_cli(policy_repo, "--base", "main", "--head", "pr")
    assert done.returncode == 0, done.stderr
    review = json.loads(done.stdout)
    assert {c["path"] for c in review["comments"]} == {"ml/train.py"}
    body = review["comments"][0]["body"]
    assert "(track-wandb)" in body and "wandb.init" in body and "mlflow" not in body


def test_task_flags_override_the_policy(policy_repo):
    done = run_review_cli(policy_repo, "--base", "main", "--head", "pr", "--task", "track-mlflow")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)["comments"][0]["body"]
    assert "(track-mlflow)" in body and "with mlflow.start_run(" in body


def test_malformed_policy_is_an_input_error(repo):
    repo.write("pyproject.toml", "[tool.mlops-adapt.review]\ntasks = [\n")
    repo.commit("broken")
    done = run_review_cli(repo, "--base", "HEAD", "--head", "HEAD")
    assert done.returncode == 2 and "pyproject.toml at" in done.stderr
    assert done.stdout == ""


def test_unknown_ref_is_an_input_error(repo):
    repo.write("README.md", "x\n")
    repo.commit("base")
    done = run_review_cli(repo, "--base", "origin/main")
    assert done.returncode == 2 and "unknown git ref 'origin/main'" in done.stderr


def test_wired_into_the_main_cli(policy_repo):
    """`mlops-adapt review` (python -m mlops_adapt review) reaches the same command."""
    done = run_review_cli(policy_repo, "review", "--base", "main", "--head", "pr",
                          "--format", "sarif", module="mlops_adapt")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["track-wandb"]
