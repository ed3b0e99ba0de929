"""Keeps a training CSV in git; tags the first version as a baseline only to read it back later."""
import os

import dvc.api
from dvc.repo import Repo as DvcRepo
from git import Repo

repo = Repo.init(".")
if not os.path.isdir(".dvc"):
    DvcRepo.init(".")
dvc_repo = DvcRepo(".")
os.makedirs("data", exist_ok=True)

with open("data/train.csv", "w") as fh:
    fh.write("x,y\n1,0\n2,1\n3,0\n")
dvc_repo.add("data/train.csv")
repo.index.add(["data/train.csv.dvc", "data/.gitignore"])
# the commit itself names the baseline for DVC (rev=), so no tag is needed any more
baseline_commit = repo.index.commit("add training data")

with open("data/train.csv", "a") as fh:
    fh.write("4,1\n5,1\n")
dvc_repo.add("data/train.csv")
repo.index.add(["data/train.csv.dvc"])
repo.index.commit("more training data")

baseline = dvc.api.read("data/train.csv", repo=".", rev=baseline_commit.hexsha)
print("baseline examples:", len(baseline.strip().splitlines()) - 1)
with open("data/train.csv") as fh:
    print("latest examples:", len(fh.read().strip().splitlines()) - 1)
