"""The sandbox runner: allow-listed environment, temp stores, timeout, temp git + DVC repo, observation hooks.

tests/sandbox/ runs hostile scripts against the isolation itself.
"""

import json
import subprocess

import pytest

from mlops_adapt.verify.sandbox import (
    is_allowed_var,
    missing_output_lines,
    normalize_line,
    run_script,
)

PRINT_ENV = "import json, os\nprint(json.dumps(dict(os.environ)))\n"


def test_environment_is_allow_listed_and_points_at_temp_stores(monkeypatch, tmp_path):
    secrets = {
        "OPENAI_API_KEY": "sk-live",
        "WANDB_API_KEY": "wb",
        "MY_SERVICE_TOKEN": "t",
        "AWS_SECRET_ACCESS_KEY": "a",
        "MLFLOW_TRACKING_PASSWORD": "p",
        "GITHUB_TOKEN": "g",
        "DB_PASSWORD": "x",
        "HF_TOKEN": "h",
    }
    for key, value in secrets.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://tracking.example.com")
    monkeypatch.setenv("HARMLESS_SETTING", "dropped too: only the allow-list passes")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    run = run_script(PRINT_ENV, timeout=60, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    env = json.loads(run.stdout)
    assert not set(secrets) & set(env)
    assert "HARMLESS_SETTING" not in env
    assert env["LC_ALL"] == "C.UTF-8"
    assert env["MLFLOW_TRACKING_URI"] == f"sqlite:///{run.root / 'mlflow.db'}"
    assert env["MLFLOW_REGISTRY_URI"] == env["MLFLOW_TRACKING_URI"]
    assert env["WANDB_MODE"] == "offline" and env["WANDB_DIR"].startswith(str(run.root))
    assert env["HOME"].startswith(str(run.root))
    assert env["MLOPS_ADAPT_N_TRIALS"] == "3"


@pytest.mark.parametrize(
    "name",
    ["OPENAI_BASE_URL", "X_API_KEY", "GH_TOKEN", "SSH_AUTH_SOCK", "DATABASE_URL", "TERM", "USER"],
)
def test_names_outside_the_allow_list_are_dropped(name):
    assert not is_allowed_var(name)


@pytest.mark.parametrize("name", ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR", "PYTHONPATH"])
def test_allow_listed_names_are_kept(name):
    assert is_allowed_var(name)


def test_the_user_can_pass_named_variables(monkeypatch):
    monkeypatch.setenv("MLOPS_ADAPT_SANDBOX_PASS_ENV", "DATA_DIR, SEED")
    assert is_allowed_var("DATA_DIR") and is_allowed_var("SEED")
    assert not is_allowed_var("DATA_DIR_2")


def test_script_runs_in_its_own_temp_dir_with_extra_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    script = "import os\nprint(os.getcwd())\nprint(open('data.txt').read())\nopen('out.txt', 'w').write('x')\n"
    run = run_script(
        script, timeout=60, extra_files={"data.txt": "hello"}, root=tmp_path / "sandbox"
    )
    assert run.ok, run.stderr
    cwd, content = run.stdout.split()
    assert cwd == str(run.workdir) and content == "hello"
    assert (run.workdir / "out.txt").exists()
    assert not (tmp_path / "out.txt").exists()


def test_timeout_kills_the_script(tmp_path):
    run = run_script(
        "import time\nprint('started', flush=True)\ntime.sleep(60)\n", timeout=1.5, root=tmp_path
    )
    assert run.timed_out and run.returncode is None and not run.ok
    assert "started" in run.stdout
    assert "timed out after 1.5 s" in run.stderr


def test_failure_summary_names_the_exception(tmp_path):
    run = run_script("import json\njson.loads('{')\n", timeout=60, root=tmp_path)
    assert run.returncode == 1
    assert run.error_summary().startswith("json.decoder.JSONDecodeError")


@pytest.mark.slow
def test_repo_sandbox_is_a_fresh_git_and_dvc_repository(tmp_path):
    run = run_script(
        "import subprocess\nprint(subprocess.check_output(['git', 'log', '--format=%an']).decode())\n",
        timeout=120,
        repo=True,
        root=tmp_path,
    )
    assert run.ok, run.stderr
    assert (run.workdir / ".git").is_dir() and (run.workdir / ".dvc").is_dir()
    assert run.stdout.strip() == "MLOps-Adapt Sandbox"
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=run.workdir, capture_output=True, text=True, check=False
    ).stdout.split()
    assert ".dvc/config" in tracked


@pytest.mark.slow
def test_hooks_cap_optuna_trials_and_record_them(tmp_path):
    script = (
        "import optuna\n"
        "study = optuna.create_study(direction='maximize')\n"
        "study.optimize(lambda t: t.suggest_float('x', 0, 1), n_trials=500)\n"
        "print(len(study.trials))\n"
    )
    run = run_script(script, timeout=120, root=tmp_path)
    assert run.ok, run.stderr
    assert run.stdout.strip() == "3"
    [event] = [e for e in run.observations if e["event"] == "optuna.optimize"]
    assert event["directions"] == ["MAXIMIZE"]
    assert [sorted(t["params"]) for t in event["trials"]] == [["x"]] * 3


def test_output_normalisation():
    assert normalize_line("took 1.52s, run 3f2a9c1d7e") == normalize_line(
        "took 0.98s, run 9b8c7d6e5f"
    )
    assert normalize_line("accuracy 0.91") != normalize_line("accuracy 0.93")
    assert normalize_line("accuracy 0.91", mask_numbers=True) == normalize_line(
        "accuracy 0.93", mask_numbers=True
    )


def test_missing_output_lines_requires_order_and_content():
    original = "epoch 0 loss 1.0\nepoch 1 loss 0.5\naccuracy 0.9\n"
    adapted = "setting up\nepoch 0 loss 1.0\nlogged\nepoch 1 loss 0.5\naccuracy 0.9\nrun finished\n"
    assert missing_output_lines(original, adapted) == []
    assert missing_output_lines(original, "epoch 0 loss 1.0\naccuracy 0.9\n") == [
        "epoch 1 loss 0.5"
    ]
    assert missing_output_lines(original, "accuracy 0.9\nepoch 0 loss 1.0\nepoch 1 loss 0.5\n") == [
        "accuracy 0.9"
    ]
