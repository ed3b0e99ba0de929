"""Keep a data variant on a branch with GitPython, then compare the two versions."""
from git import Repo

repo = Repo(".")
with open("labels.csv", "w") as fh:
    fh.write("id,label\n1,0\n2,1\n")
repo.index.add(["labels.csv"])
repo.index.commit("labels v1")
repo.create_tag("baseline")
with open("labels.csv", "w") as fh:
    fh.write("id,label\n1,0\n2,1\n3,1\n")
repo.index.add(["labels.csv"])
repo.index.commit("labels v2 with one more row")
baseline = repo.git.show("baseline:labels.csv").splitlines()
current = open("labels.csv").read().splitlines()
print("baseline rows:", len(baseline) - 1)
print("current rows:", len(current) - 1)
