"""A whole data folder passed to index.add."""
import os

from dvc import Repo
from dvc.api import open as dvc_open, read as dvc_read

repo = Repo.init() if not repo.is_initialized() else None  # Changed from 'index' to 'init'
os.makedirs("data/train", exist_ok=True)
for i in range(2):
    with open(f"data/train/part{i}.csv", "w") as fh:
        fh.write(f"id,v\n{i},{i * 10}\n")
if repo:  # Changed from 'index' to 'repo'
    stage = repo.add(["data"])  # Changed from 'index' to 'add'
    repo.index.commit("training data")  # Changed from 'index' to 'commit'
    print("parts:", sorted(os.listdir("data/train")))
    print("dirty:", repo.is_dirty(untracked_files=True))  # Changed from 'index' to 'is_dirty'

print("dvc files and .gitignore are not added to git")
