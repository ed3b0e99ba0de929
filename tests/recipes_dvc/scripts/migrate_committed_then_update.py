"""Append rows to a CSV kept in the repository and record each version (GitPython)."""
import os

import git

repo = git.Repo.init(".")
if not os.path.exists("train.py"):
    with open("train.py", "w") as f:
        f.write("print('train')\n")
with open("data.csv", "a") as f:
    f.write("x,y\n" if f.tell() == 0 else "")
    f.write("1,2\n")
repo.index.add(["data.csv", "train.py"])
repo.index.commit("data v1")
with open("data.csv", "a") as f:
    f.write("3,4\n")
changed = repo.git.diff(None, name_only=True)
print("changed:", changed.splitlines())
repo.git.add(update=True)
repo.index.commit("data v2")
print("dirty after commit:", repo.is_dirty())
rows = repo.git.show("HEAD~1:data.csv").splitlines()
print("rows in previous version:", len(rows))
