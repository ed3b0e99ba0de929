"""A bigger data sample on a branch; switching branches switches the data."""
import git

repo = git.Repo.init(".")
with open("sample.csv", "w") as fh:
    fh.write("x\n1\n2\n")
repo.index.add(["sample.csv"])
repo.index.commit("base sample")
base = repo.active_branch.name
repo.git.checkout("-b", "bigger-sample")
with open("sample.csv", "a") as fh:
    fh.write("3\n4\n")
repo.index.add(["sample.csv"])
repo.index.commit("bigger sample")
repo.git.checkout(base)
print("rows on base:", len(open("sample.csv").read().split()) - 1)
repo.git.checkout("bigger-sample")
print("rows on branch:", len(open("sample.csv").read().split()) - 1)
