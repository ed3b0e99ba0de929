"""Version a CSV data file with GitPython: two versions, tagged, then read back."""
import csv
import os

import dvc.api
from dvc.repo import Repo as DvcRepo
from git import Repo

repo = Repo.init(".")
if not os.path.isdir(".dvc"):
    DvcRepo.init(".")
dvc_repo = DvcRepo(".")
with open("data.csv", "w", newline="") as fh:
    csv.writer(fh).writerows([["x", "y"], [1, 2], [2, 4]])
dvc_repo.add(os.path.abspath("data.csv"))
repo.index.add(["data.csv.dvc", ".gitignore"])
repo.index.commit("data v1")
repo.create_tag("v1")

with open("data.csv", "a", newline="") as fh:
    csv.writer(fh).writerow([3, 6])
dvc_repo.add(os.path.abspath("data.csv"))
repo.index.add(["data.csv.dvc"])
repo.index.commit("data v2")
repo.create_tag("v2")

old = dvc.api.read("data.csv", repo=".", rev="v1")
print("rows in v1:", len(old.splitlines()) - 1)
with open("data.csv") as fh:
    print("rows now:", len(fh.read().splitlines()) - 1)
