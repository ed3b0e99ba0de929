"""Fixtures for the PR bot tests: real git repositories in temp dirs and a loopback GitHub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .fake_github import FakeGitHub, commentable_lines

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).parent / "schemas"
TOKEN = "ghs_FAKE0123456789secretTOKENvalue"
REPOSITORY = "octo-org/ml-project"
PR_NUMBER = 7

TRAIN_RF = '''\
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
n_estimators = 20
max_depth = 3
model = RandomForestClassifier(n_estimators=n_estimators, max_depth=max_depth, random_state=0)
model.fit(X_train, y_train)
accuracy = accuracy_score(y_test, model.predict(X_test))
print(f"accuracy={accuracy:.3f}")
'''

# A longer script: a one-line change in its middle leaves the needed edits outside the diff.
TRAIN_LONG = '''\
"""Train a random forest on the wine data set."""
from sklearn.datasets import load_wine
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split


def load():
    X, y = load_wine(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, random_state=1)


# Hyperparameters.
n_estimators = 30
max_depth = 4
min_samples_leaf = 2
criterion = "gini"

X_train, X_test, y_train, y_test = load()
model = RandomForestClassifier(
    n_estimators=n_estimators,
    max_depth=max_depth,
    min_samples_leaf=min_samples_leaf,
    criterion=criterion,
    random_state=0,
)
model.fit(X_train, y_train)
predictions = model.predict(X_test)

# Evaluation.
accuracy = accuracy_score(y_test, predictions)
f1 = f1_score(y_test, predictions, average="macro")
print(f"accuracy={accuracy:.3f}")
print(f"f1={f1:.3f}")
'''

NOT_TRAINING = '''\
"""Small helpers with no training code."""


def add(a, b):
    return a + b
'''


class GitRepo:
    """A throwaway git repository driven through the real git command line."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "dev@example.com")
        self.git("config", "user.name", "Dev")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, f"git {args}: {done.stderr}"
        return done.stdout

    def write(self, path: str, content: str | bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    def move(self, old: str, new: str) -> None:
        (self.root / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    def read(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def branch(self, name: str) -> None:
        self.git("checkout", "-q", "-b", name)

    def commentable(self, base: str, head: str) -> dict[str, set[int]]:
        return commentable_lines(self.git("diff", "-U3", "-M", f"{base}...{head}"))


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


@pytest.fixture
def new_script_pr(repo):
    """A PR in an unseen repository that adds a training script without any tracking."""
    repo.write("README.md", "# wine project\n")
    repo.write("src/utils.py", NOT_TRAINING)
    base = repo.commit("base")
    repo.branch("feature")
    repo.write("src/train.py", TRAIN_RF)
    repo.write("docs/notes.md", "how we train\n")
    head = repo.commit("add training script")
    return repo, base, head


@pytest.fixture
def make_fake_github():
    """Start fake GitHub servers for a test and stop them afterwards."""
    servers: list[FakeGitHub] = []

    def start(head_sha: str, commentable: dict[str, set[int]], **kwargs) -> FakeGitHub:
        server = FakeGitHub(REPOSITORY, PR_NUMBER, TOKEN, head_sha, commentable, **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def write_event(tmp_path: Path, kind: str = "pull_request", head_sha: str | None = None) -> Path:
    """A GitHub Actions event payload file for the pull request."""
    if kind == "issue_comment":
        event = {"action": "created", "comment": {"body": "/mlops-adapt"},
                 "issue": {"number": PR_NUMBER, "pull_request": {"url": "..."}}}
    else:
        event = {"action": "labeled", "number": PR_NUMBER,
                 "pull_request": {"number": PR_NUMBER}}
        if head_sha:
            event["pull_request"]["head"] = {"sha": head_sha}
    path = tmp_path / f"event-{kind}.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def run_review_cli(repo: GitRepo, *args: str, env_extra: dict | None = None,
                   module: str = "mlops_adapt.review") -> subprocess.CompletedProcess:
    """Run the bot as a user would, in a subprocess with the repository as cwd."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "GH_", "ACTIONS_", "OPENAI_", "MLOPS_ADAPT_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", module, *args], cwd=repo.root, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def github_env(server: FakeGitHub, event: Path, token: str = TOKEN) -> dict[str, str]:
    return {"GITHUB_API_URL": server.url, "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_TOKEN": token, "GITHUB_EVENT_PATH": str(event)}
