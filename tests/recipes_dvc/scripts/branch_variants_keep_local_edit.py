"""Two dataset variants on two branches (one adds a file), switched back and forth; an unsaved edit
survives a new branch."""
import json
import os

from git import Repo

SPLIT = os.path.join("splits", "train.json")


def save(ids):
    with open(SPLIT, "w") as fh:
        json.dump(ids, fh)


def show(label):
    with open(SPLIT) as fh:
        print(label, json.load(fh))


os.makedirs("splits", exist_ok=True)
repo = Repo.init(".")
save([1, 2, 3, 4])
repo.index.add([SPLIT])
repo.index.commit("all ids")
base = repo.active_branch

small = repo.create_head("small")
small.checkout()
save([1, 2])
with open(os.path.join("splits", "holdout.json"), "w") as fh:
    json.dump([3, 4], fh)
repo.index.add([SPLIT, os.path.join("splits", "holdout.json")])
repo.index.commit("two ids and a holdout")

for head in (base, small, base):
    head.checkout()
    show(head.name == "small" and "small:" or "base:")
    print("  holdout there:", os.path.exists(os.path.join("splits", "holdout.json")))

save([1, 2, 3, 4, 5])  # not committed: a new branch keeps it, as git keeps local edits
repo.git.checkout("-b", "grown")
show("grown (unsaved):")
repo.index.add([SPLIT])
repo.index.commit("five ids")
repo.heads.small.checkout()
show("small again:")
