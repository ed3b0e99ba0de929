"""Everything staged with repo.git.add(all=True) and committed with repo.git.commit(m=...)."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
with open("data/items.tsv", "w") as fh:
    fh.write("a\t1\nb\t2\n")
with open("prepare.py", "w") as fh:
    fh.write("print('prep')\n")
repo.git.add(all=True)
repo.git.commit(m="everything")
print("data lines:", len(open("data/items.tsv").read().splitlines()))
print("clean:", not repo.is_dirty(untracked_files=True))
