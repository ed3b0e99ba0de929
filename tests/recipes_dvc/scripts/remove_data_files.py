"""Drop data files from version control: one deleted, one kept on disk but untracked, one kept."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
for name in ("a.csv", "b.csv", "c.csv"):
    with open(f"data/{name}", "w") as f:
        f.write(name + "\n")
with open("clean.py", "w") as f:
    f.write("pass\n")
repo.index.add(["data/a.csv", "data/b.csv", "data/c.csv", "clean.py"])
repo.index.commit("data")
repo.index.remove(["data/b.csv"], working_tree=True)
repo.index.commit("drop b")
print("b exists:", os.path.exists("data/b.csv"))
print("b before:", repo.git.show("HEAD~1:data/b.csv"))
repo.git.rm("--cached", "data/a.csv")
repo.index.commit("untrack a")
print("a exists:", os.path.exists("data/a.csv"))
print("untracked:", repo.untracked_files)
print("dirty:", repo.is_dirty())
print("a at first commit:", repo.git.show("HEAD~2:data/a.csv"))
