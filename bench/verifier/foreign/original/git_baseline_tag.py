"""Keeps a training CSV in git; tags the first version as a baseline only to read it back later."""
import os

from git import Repo

repo = Repo.init(".")
os.makedirs("data", exist_ok=True)

with open("data/train.csv", "w") as fh:
    fh.write("x,y\n1,0\n2,1\n3,0\n")
repo.index.add(["data/train.csv"])
repo.index.commit("add training data")
repo.create_tag("baseline")

with open("data/train.csv", "a") as fh:
    fh.write("4,1\n5,1\n")
repo.index.add(["data/train.csv"])
repo.index.commit("more training data")

baseline = repo.git.show("baseline:data/train.csv")
print("baseline examples:", len(baseline.strip().splitlines()) - 1)
with open("data/train.csv") as fh:
    print("latest examples:", len(fh.read().strip().splitlines()) - 1)
