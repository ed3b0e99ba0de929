"""Keep a data variant on a branch with GitPython, then compare the two versions."""
import os

import dvc.api
from dvc.repo import Repo as DvcRepo
from git import Repo

repo = Repo(".")
if not os.path.isdir(".dvc"):
    DvcRepo.init(".")
    repo.index.add([".dvc/config", ".dvc/.gitignore", ".dvcignore"])
with open("labels.csv", "w") as fh:
    fh.write("id,label\n1,0\n2,1\n")
DvcRepo(".").add("labels.csv")
repo.index.add([".gitignore"])
repo.index.commit("labels v1")
repo.create_tag("baseline")
with open("labels.csv", "w") as fh:
    fh.write("id,label\n1,0\n2,1\n3,1\n")
DvcRepo(".").add("labels.csv")
repo.index.commit("labels v2 with one more row")
baseline = dvc.api.read("labels.csv", repo=".", rev="baseline").splitlines()
current = open("labels.csv").read().splitlines()
print("baseline rows:", len(baseline) - 1)
print("current rows:", len(current) - 1)
