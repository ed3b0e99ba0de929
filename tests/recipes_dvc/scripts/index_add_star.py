"""GitPython's index.add("*") (which ignores .gitignore) of a tree with a data folder."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
with open("data/a.csv", "w") as f:
    f.write("1\n")
with open("main.py", "w") as f:
    f.write("pass\n")
repo.index.add("*")
repo.index.commit("all")
print(sorted(e[0] for e in repo.index.entries) and "ok")
print(repo.git.show("HEAD:data/a.csv"))
print(repo.is_dirty(untracked_files=True))
