"""A folder with no data-like name ("chunks") that the script fills with CSV files, added as a folder."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("chunks", exist_ok=True)
for i in range(3):
    with open(os.path.join("chunks", f"c{i}.csv"), "w") as fh:
        fh.write("a,b\n" + f"{i},{i * 2}\n")
repo.git.add("chunks")
repo.index.commit("chunks")
print("files:", sorted(os.listdir("chunks")))
repo.index.remove(["chunks/c1.csv"], working_tree=True)
repo.index.commit("drop c1")
print("left:", sorted(os.listdir("chunks")))
