"""Edit a tracked TSV in place, inspect what changed, and commit everything with `git commit -a`."""
import os

from git import Repo

repo = Repo.init(".")
os.makedirs("tables", exist_ok=True)
with open("tables/prices.tsv", "w") as fh:
    fh.write("item\tprice\napple\t1.0\npear\t1.5\n")
repo.index.add(["tables/prices.tsv"])
repo.index.commit("prices")

with open("tables/prices.tsv", "a") as fh:
    fh.write("plum\t2.25\n")
print("changed files:", [d.a_path for d in repo.index.diff(None)])
print("name-only diff:", repo.git.diff("--name-only").split())
repo.git.commit("-am", "add plum")
print("clean after commit -a:", not repo.is_dirty())
with open("tables/prices.tsv") as fh:
    prices = [float(line.split("\t")[1]) for line in fh.readlines()[1:]]
print("mean price:", round(sum(prices) / len(prices), 3))
