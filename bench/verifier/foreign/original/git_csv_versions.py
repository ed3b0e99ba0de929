"""Versions a measurements CSV in git with GitPython: two tagged versions, then reads v1 back."""
import csv

from git import Repo

repo = Repo.init(".")

rows = [["sensor", "value"], ["a", 1.0], ["b", 2.5]]
with open("measurements.csv", "w", newline="") as fh:
    csv.writer(fh).writerows(rows)
repo.index.add(["measurements.csv"])
repo.index.commit("measurements: first batch")
repo.create_tag("v1")

with open("measurements.csv", "a", newline="") as fh:
    csv.writer(fh).writerows([["c", 0.7], ["d", 4.1]])
repo.index.add(["measurements.csv"])
repo.index.commit("measurements: second batch")
repo.create_tag("v2")

first = repo.git.show("v1:measurements.csv")
print("v1 rows:", len(first.splitlines()) - 1)
with open("measurements.csv") as fh:
    print("current rows:", len(fh.read().splitlines()) - 1)
