import os

import git

repo = git.Repo.init(".")
os.makedirs("datasets", exist_ok=True)
with open("datasets/train.tsv", "w") as f:
    f.write("a\tb\n1\t2\n")
with open("prepare.py", "w") as f:
    f.write("import sys\n")
print("untracked before:", sorted(repo.untracked_files))
print("dirty with untracked:", repo.is_dirty(untracked_files=True))
repo.index.add(["datasets/train.tsv", "prepare.py"])
repo.index.commit("initial")
print("untracked after:", sorted(repo.untracked_files))
with open("datasets/train.tsv", "a") as f:
    f.write("3\t4\n")
changed = [d.a_path for d in repo.index.diff(None)]
print("changed:", changed)
print("dirty:", repo.is_dirty())
repo.index.add(["datasets/train.tsv"])
repo.index.commit("more rows")
print("changed after commit:", [d.a_path for d in repo.index.diff(None)])
print("dirty after commit:", repo.is_dirty())
