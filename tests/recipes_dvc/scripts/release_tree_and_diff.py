"""Two tagged releases of a feature folder: the tree of each walked, the releases compared."""
import os

import git

os.makedirs("features", exist_ok=True)
repo = git.Repo.init(".")
for name, rows in (("age.csv", 3), ("income.csv", 4), ("zip.csv", 2)):
    with open(os.path.join("features", name), "w") as fh:
        fh.write("".join(f"{i},{i * i}\n" for i in range(rows)))
repo.index.add([os.path.join("features", n) for n in ("age.csv", "income.csv", "zip.csv")])
repo.index.commit("r1")
repo.create_tag("r1")

with open(os.path.join("features", "age.csv"), "a") as fh:
    fh.write("9,81\n")
os.remove(os.path.join("features", "zip.csv"))
repo.index.remove([os.path.join("features", "zip.csv")])
repo.index.commit("r2")
repo.create_tag("r2")

for tag in ("r1", "r2"):
    blobs = [(b.path, b.size) for b in repo.tree(tag).traverse() if b.type == "blob"]
    print(tag, blobs)
print("head:", [b.name for b in (repo.head.commit.tree / "features").blobs])
old = repo.commit("r1")
for change in old.diff(repo.commit("r2")):
    print(change.change_type, change.a_path, change.b_path)
print(repo.git.diff("r1..r2", "--numstat"))
