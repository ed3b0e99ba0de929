"""Two reviewers each add their own label file on a branch of their own; both branches are merged
back with --no-ff (DVC is first set up on a branch, and both branches touch the same folder)."""
import glob
import os

from git import Repo

repo = Repo.init(".")
with open("NOTES.md", "w") as fh:
    fh.write("label review\n")
repo.index.add(["NOTES.md"])
repo.index.commit("start")
main = repo.active_branch

for reviewer, rows in (("ana", 3), ("ben", 5)):
    branch = repo.create_head(f"review-{reviewer}", main.commit)
    branch.checkout()
    os.makedirs("labels", exist_ok=True)
    with open(os.path.join("labels", f"{reviewer}.tsv"), "w") as fh:
        fh.writelines(f"{i}\t{reviewer}\n" for i in range(rows))
    repo.index.add([os.path.join("labels", f"{reviewer}.tsv")])
    repo.index.commit(f"labels of {reviewer}")
    main.checkout()
    print(reviewer, "on main:", os.path.exists(os.path.join("labels", f"{reviewer}.tsv")))

for reviewer in ("ana", "ben"):
    repo.git.merge(f"review-{reviewer}", "--no-ff", "-m", f"merge {reviewer}")

for name in sorted(glob.glob("labels/*.tsv")):
    with open(name) as fh:
        print(name, len(fh.readlines()))
print("merges", sum(1 for c in repo.iter_commits() if len(c.parents) == 2))
print("dirty", repo.is_dirty(untracked_files=True))
