"""Versions a measurements CSV in git with GitPython: two tagged versions, then reads v1 back."""
import csv

import dvc.api
from dvc.exceptions import NotDvcRepoError
from dvc.repo import Repo as DvcRepo
from git import Repo

repo = Repo.init(".")
try:
    dvc_repo = DvcRepo(".")
except NotDvcRepoError:
    dvc_repo = DvcRepo.init(".")

rows = [["sensor", "value"], ["a", 1.0], ["b", 2.5]]
with open("measurements.csv", "w", newline="") as fh:
    csv.writer(fh).writerows(rows)
# DVC keeps the data; git keeps the small pointer file and the .gitignore entry
dvc_repo.add("measurements.csv")
repo.index.add(["measurements.csv", "measurements.csv.dvc", ".gitignore"])
repo.index.commit("measurements: first batch")
repo.create_tag("v1")

with open("measurements.csv", "a", newline="") as fh:
    csv.writer(fh).writerows([["c", 0.7], ["d", 4.1]])
dvc_repo.add("measurements.csv")
repo.index.add(["measurements.csv.dvc"])
repo.index.commit("measurements: second batch")
repo.create_tag("v2")

first = dvc.api.read("measurements.csv", repo=".", rev="v1")
print("v1 rows:", len(first.splitlines()) - 1)
with open("measurements.csv") as fh:
    print("current rows:", len(fh.read().splitlines()) - 1)
