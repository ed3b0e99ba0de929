import git

repo = git.Repo.init(".")
with open("measurements.csv", "w") as f:
    f.write("t,value\n0,1.5\n1,2.5\n")
with open("notes.md", "w") as f:
    f.write("baseline\n")
repo.index.add(["measurements.csv", "notes.md"])
repo.index.commit("baseline")

# A trial edit of both the data and a project file, put aside and brought back.
with open("measurements.csv", "a") as f:
    f.write("2,9.0\n")
with open("notes.md", "a") as f:
    f.write("trial: an outlier added\n")
print("dirty before stash:", repo.is_dirty())
repo.git.stash()
print("rows after stash:", len(open("measurements.csv").read().splitlines()))
print("notes after stash:", open("notes.md").read().strip())
print("dirty after stash:", repo.is_dirty())
print("stashes:", len(repo.git.stash("list").splitlines()))
repo.git.stash("apply")
repo.git.stash("drop")
print("rows after apply:", len(open("measurements.csv").read().splitlines()))
print("notes after apply:", open("notes.md").read().strip().splitlines()[-1])
print("stashes left:", len(repo.git.stash("list").splitlines()))
repo.index.add(["measurements.csv", "notes.md"])
repo.index.commit("keep the trial")
print("dirty at the end:", repo.is_dirty())
