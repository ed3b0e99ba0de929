"""Version a CSV data file with GitPython: two versions, tagged, then read back."""
import csv

from git import Repo

repo = Repo.init(".")
with open("data.csv", "w", newline="") as fh:
    csv.writer(fh).writerows([["x", "y"], [1, 2], [2, 4]])
repo.index.add(["data.csv"])
repo.index.commit("data v1")
repo.create_tag("v1")

with open("data.csv", "a", newline="") as fh:
    csv.writer(fh).writerow([3, 6])
repo.index.add(["data.csv"])
repo.index.commit("data v2")
repo.create_tag("v2")

old = repo.git.show("v1:data.csv")
print("rows in v1:", len(old.splitlines()) - 1)
with open("data.csv") as fh:
    print("rows now:", len(fh.read().splitlines()) - 1)
