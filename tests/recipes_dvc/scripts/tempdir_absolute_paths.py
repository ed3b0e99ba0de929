"""A repository outside the cwd, reached through absolute paths; history read commit by commit."""
import os

import git

ROOT = os.path.abspath(os.path.join("elsewhere", "project"))
os.makedirs(ROOT)
repo = git.Repo.init(ROOT)
data = os.path.join(ROOT, "data.csv")
with open(data, "w") as f:
    f.write("a\n1\n")
repo.index.add([data])
repo.index.commit("one")
with open(data, "a") as f:
    f.write("2\n")
print("dirty", repo.is_dirty(), repo.is_dirty(path="data.csv"))
repo.index.add([data])
repo.index.commit("two")
print(repo.git.show("HEAD~1:data.csv").split())
for commit in repo.iter_commits():
    print(commit.message, (commit.tree / "data.csv").data_stream.read().decode().split())
