"""Restore data files in several ways: from a tag, from the index, without `--`."""
import os

import git

repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)


def write(name, text):
    with open(os.path.join("data", name), "w") as f:
        f.write(text)


def read(name):
    with open(os.path.join("data", name)) as f:
        return f.read().split()


write("a.csv", "a1\n")
write("b.csv", "b1\n")
repo.index.add(["data/a.csv", "data/b.csv"])
repo.index.commit("first")
repo.create_tag("v1")
write("a.csv", "a2\n")
write("b.csv", "b2\n")
repo.index.add(["data/a.csv", "data/b.csv"])
repo.index.commit("second")

repo.git.checkout("v1", "data/a.csv")
print("a from v1:", read("a.csv"), "b:", read("b.csv"))
print("dirty:", repo.is_dirty())
write("a.csv", "scratch\n")
repo.index.checkout(["data/a.csv"], force=True)
print("a from index:", read("a.csv"))
repo.index.commit("back to a1")
print("dirty after commit:", repo.is_dirty())
write("b.csv", "scratch\n")
repo.git.checkout("--", "data/b.csv")
print("b restored:", read("b.csv"))
print("history of a:", repo.git.show("HEAD~1:data/a.csv"), repo.git.show("HEAD:data/a.csv"))
