"""Ordinary training scripts still run in the isolated sandbox: MLflow, W&B offline, torch, git + DVC."""

import subprocess

import pytest

from mlops_adapt.verify.sandbox import run_script
from mlops_adapt.verify.testgen import mlflow_template
from mlops_adapt.verify.wandb_offline import find_offline_runs, read_offline_run

pytestmark = [pytest.mark.usefixtures("isolated"), pytest.mark.slow]


def test_mlflow_logs_to_the_sandbox_sqlite_store(tmp_path):
    script = (
        "import mlflow\n"
        "with mlflow.start_run():\n"
        "    mlflow.log_param('n_estimators', 100)\n"
        "    mlflow.log_metric('accuracy', 0.9)\n"
        "print('logged')\n"
    )
    run = run_script(
        script, timeout=240, root=tmp_path / "sandbox", mlflow_template=mlflow_template()
    )
    assert run.ok, run.stderr
    from mlflow.tracking import MlflowClient

    client = MlflowClient(tracking_uri=run.mlflow_uri)
    [logged] = client.search_runs([e.experiment_id for e in client.search_experiments()])
    assert logged.info.status == "FINISHED"
    assert logged.data.params == {"n_estimators": "100"}
    assert logged.data.metrics == {"accuracy": 0.9}


def test_wandb_offline_writes_its_run_in_the_sandbox(tmp_path):
    script = (
        "import wandb\n"
        "run = wandb.init(project='sandboxed', config={'lr': 0.1})\n"
        "wandb.log({'loss': 0.5})\n"
        "wandb.finish()\n"
    )
    run = run_script(script, timeout=240, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    [path] = find_offline_runs(run.wandb_dir)
    data = read_offline_run(path)
    assert data["config"]["lr"] == 0.1 and data["summary"]["loss"] == 0.5
    assert data["exit_code"] == 0


def test_torch_trains_and_multiprocessing_works(tmp_path):
    script = (
        "import multiprocessing, torch\n"
        "torch.manual_seed(0)\n"
        "x = torch.randn(64, 3); y = x @ torch.tensor([1.0, -2.0, 0.5])\n"
        "model = torch.nn.Linear(3, 1); opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
        "losses = []\n"
        "for _ in range(50):\n"
        "    opt.zero_grad(); loss = ((model(x).squeeze() - y) ** 2).mean(); loss.backward()\n"
        "    opt.step(); losses.append(loss.item())\n"
        "print(losses[-1] < losses[0] / 10)\n"
        "with multiprocessing.Pool(2) as pool:\n"
        "    print(pool.map(abs, [-1, -2]))\n"
    )
    run = run_script(script, timeout=240, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    assert run.stdout.split("\n")[:2] == ["True", "[1, 2]"]


def test_git_and_dvc_work_in_a_repository_sandbox(tmp_path):
    script = (
        "import subprocess\n"
        "from dvc.repo import Repo\n"
        "from git import Repo as GitRepo\n"
        "open('data.csv', 'w').write('x,y\\n1,2\\n')\n"
        "Repo('.').add('data.csv')\n"
        "git = GitRepo('.')\n"
        "git.index.add(['data.csv.dvc', '.gitignore'])\n"
        "git.index.commit('track data with DVC')\n"
        "print(subprocess.check_output(['git', 'log', '--format=%s']).decode().split('\\n')[0])\n"
    )
    run = run_script(script, timeout=240, repo=True, root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "track data with DVC"
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=run.workdir, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "data.csv.dvc" in tracked and "data.csv" not in tracked
    assert any((run.workdir / ".dvc" / "cache").rglob("*"))


def test_a_script_that_makes_its_own_repository_starts_from_an_empty_folder(tmp_path):
    """`Repo.init(".")` in a fresh folder: the script's history holds only its own commits (no
    sandbox commit without the script's notes or tags); a bare remote alone is not its repository."""
    from mlops_adapt.verify.sandbox import makes_own_repo
    from mlops_adapt.verify.testgen import sandbox_repo

    assert makes_own_repo("repo = git.Repo.init('.')") and makes_own_repo("Repo.init(os.getcwd())")
    assert not makes_own_repo("Repo.init('remote.git', bare=True)\nrepo = Repo('.')")
    assert not makes_own_repo("dvc.repo.Repo.init(root)")  # DVC's, as an adaptation calls it
    script = (
        "import os\n"
        "from git import Repo\n"
        "print(sorted(os.listdir('.')))\n"
        "repo = Repo.init('.')\n"
        "open('a.txt', 'w').write('a')\n"
        "repo.index.add(['a.txt'])\n"
        "commit = repo.index.commit('mine')\n"
        "repo.git.notes('add', '-m', 'note', commit.hexsha)\n"
        "print([repo.git.notes('show', c.hexsha) for c in repo.iter_commits()])\n"
    )
    assert sandbox_repo(True, script) is False and sandbox_repo(True, "repo = Repo('.')") is True
    run = run_script(script, timeout=120, repo=sandbox_repo(True, script), root=tmp_path / "sandbox")
    assert run.ok, run.stderr
    assert run.stdout.splitlines() == ["[]", "['note']"]
