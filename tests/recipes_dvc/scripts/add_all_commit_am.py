import os

import git

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
with open("data/raw.csv", "w") as f:
    f.write("v\n1\n")
with open("prep.py", "w") as f:
    f.write("# preprocessing\n")
repo.git.add(A=True)
repo.git.commit("-m", "everything")
with open("data/raw.csv", "a") as f:
    f.write("2\n")
with open("prep.py", "a") as f:
    f.write("X = 1\n")
print("dirty:", repo.is_dirty())
repo.git.commit("-am", "update")
print("dirty after -am:", repo.is_dirty())
print("previous raw:", repo.git.show("HEAD~1:data/raw.csv").split())
print("current raw:", repo.git.show("HEAD:data/raw.csv").split())
print("log:", [c.message.strip() for c in repo.iter_commits()])
