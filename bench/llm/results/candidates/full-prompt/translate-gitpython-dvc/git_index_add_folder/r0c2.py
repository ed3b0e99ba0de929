"""A whole data folder passed to index.add."""
import os

from dvc import Repo
from dvc.api import add, push

repo = Repo.init()
os.makedirs("data/train", exist_ok=True)
for i in range(2):
    with open(f"data/train/part{i}.csv", "w") as fh:
        fh.write(f"id,v\n{i},{i * 10}\n")
add("data/")
repo.push(remote="s3")
print("parts:", sorted(os.listdir("data/train")))
print("dirty:", repo.is_dirty(untracked_files=True))
