"""Stage a folder of CSV shards with the git command wrapper of GitPython, then drop one shard."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("shards", exist_ok=True)
for i in range(3):
    with open(f"shards/part-{i}.csv", "w") as fh:
        fh.write("k,v\n" + "".join(f"{i},{j}\n" for j in range(i + 2)))
repo.git.add("shards")
repo.git.commit("-m", "three shards")
print("shards:", sorted(os.listdir("shards")))

repo.index.remove(["shards/part-0.csv"], working_tree=True)
repo.index.commit("drop shard 0")
rows = 0
for name in sorted(os.listdir("shards")):
    with open(os.path.join("shards", name)) as fh:
        rows += len(fh.readlines()) - 1
print("remaining shards:", sorted(os.listdir("shards")))
print("rows:", rows)
