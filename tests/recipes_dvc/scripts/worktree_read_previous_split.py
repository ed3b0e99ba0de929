"""Compare a validation split with its previous version, read from a second git work tree."""
import csv
from pathlib import Path

import git

repo = git.Repo.init(".")
Path(".gitignore").write_text("previous_copy/\n")
Path("splits").mkdir(exist_ok=True)
for size in (3, 5):
    with open("splits/valid.csv", "w") as f:
        f.write("x,y\n" + "".join(f"{i},{i * i}\n" for i in range(size)))
    repo.index.add(["splits/valid.csv", ".gitignore"])
    repo.index.commit(f"valid split of {size}")

repo.git.worktree("add", "--detach", "previous_copy", "HEAD~1")
with open("previous_copy/splits/valid.csv") as f:
    previous = list(csv.reader(f))
repo.git.worktree("remove", "--force", "previous_copy")
print("previous rows:", len(previous) - 1, "last:", previous[-1])
print("work trees:", len(repo.git.worktree("list").splitlines()))
