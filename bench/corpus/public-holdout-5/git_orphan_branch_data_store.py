"""Code on the default branch, datasets on an orphan `data-store` branch with its own history; rows read back with git show."""
import io
import os

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

DATA_BRANCH = "data-store"


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "pipeline")
        cw.set_value("user", "email", "pipeline@example.com")
    if not repo.head.is_valid():
        with open("train.py", "w") as fh:
            fh.write("# training code lives here; data is on the data-store branch\n")
        repo.index.add(["train.py"])
        repo.index.commit("code: initial training entry point")
    return repo


repo = open_repo()
code_branch = repo.active_branch.name

if DATA_BRANCH in [h.name for h in repo.heads]:
    repo.git.checkout(DATA_BRANCH)
else:
    repo.git.checkout("--orphan", DATA_BRANCH)
    repo.git.rm("-r", "--cached", "--quiet", ".")
    os.remove("train.py")

os.makedirs("snapshots", exist_ok=True)
version = len(os.listdir("snapshots")) + 1
rng = np.random.default_rng(version)
frame = pd.DataFrame({"x1": rng.normal(size=60 + 20 * version), "x2": rng.uniform(size=60 + 20 * version)})
frame["y"] = (frame["x1"] + frame["x2"] > 0.5).astype(int)
snapshot = f"snapshots/v{version:02d}.csv"
frame.to_csv(snapshot, index=False)
repo.index.add([snapshot])
repo.index.commit(f"data: snapshot v{version:02d} ({len(frame)} rows)")
repo.git.checkout(code_branch)

data_commits = list(repo.iter_commits(DATA_BRANCH))
code_commits = list(repo.iter_commits(code_branch))
shared = repo.merge_base(code_branch, DATA_BRANCH)
latest = pd.read_csv(io.StringIO(repo.git.show(f"{DATA_BRANCH}:{snapshot}")))
print(f"data-store commits: {len(data_commits)}, code commits: {len(code_commits)}, shared history: {len(shared)}")
print(f"snapshots on data-store: {len(repo.heads[DATA_BRANCH].commit.tree / 'snapshots')}")
print(f"snapshots in the code checkout: {os.path.exists('snapshots') and len(os.listdir('snapshots'))}")
print(f"latest snapshot v{version:02d}: rows={len(latest)} positive_rate={latest['y'].mean():.4f}")
