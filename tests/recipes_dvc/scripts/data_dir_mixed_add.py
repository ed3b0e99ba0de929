"""Version a dataset with GitPython."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
with open("data/train.csv", "w") as f:
    f.write("x,y\n1,2\n")
with open("train.py", "w") as f:
    f.write("print('hi')\n")
# Version the data together with the code.
repo.index.add(["data/train.csv", "train.py"])
repo.index.commit("v1")
repo.create_tag("v1")
with open("data/train.csv", "a") as f:
    f.write("3,4\n")
print("dirty:", repo.is_dirty())
repo.git.add("data/train.csv")
repo.index.commit("v2")
print("dirty:", repo.is_dirty())
old = repo.git.show("v1:data/train.csv")
print(old)
print(len(list(repo.iter_commits())))
