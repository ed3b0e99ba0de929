"""Report the repository status in short form while data and code change."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
with open("data/a.csv", "w") as f:
    f.write("1\n")
with open("train.py", "w") as f:
    f.write("EPOCHS = 1\n")
print("fresh:", repo.git.status("--porcelain", "--untracked-files=all").splitlines())
repo.index.add(["data/a.csv", "train.py"])
print("staged:", repo.git.status(porcelain=True).splitlines())
repo.index.commit("first")
print("clean:", repr(repo.git.status("--porcelain")))
with open("data/a.csv", "a") as f:
    f.write("2\n")
with open("data/b.csv", "w") as f:
    f.write("3\n")
with open("train.py", "a") as f:
    f.write("LR = 0.1\n")
print("changed:", repo.git.status("-s").splitlines())
repo.index.add(["data/a.csv"])
print("partly staged:", repo.git.status("--porcelain").splitlines())
print("unstaged names:", repo.git.diff(name_only=True).split())
print("staged names:", repo.git.diff("--cached", "--name-only").split())
