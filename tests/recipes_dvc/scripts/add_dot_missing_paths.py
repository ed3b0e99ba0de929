"""`git add .`, a data folder added by name, and reads of missing paths that must fail the same way."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("data/raw", exist_ok=True)
with open("data/raw/x.csv", "w") as f:
    f.write("1\n")
with open("run.py", "w") as f:
    f.write("pass\n")
repo.git.add(".")
repo.git.commit(m="first")
repo.index.add(["data"])
print(repo.git.show("HEAD:data/raw/x.csv"))
print(repo.head.commit.tree["data/raw/x.csv"].data_stream.read().decode().strip())
try:
    repo.git.show("HEAD:data/missing.csv")
except git.GitCommandError:
    print("missing")
first = repo.head.commit
try:
    first.tree / "data/none.csv"
except KeyError:
    print("no blob")
