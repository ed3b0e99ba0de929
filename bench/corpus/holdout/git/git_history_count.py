"""Count how many commits changed a data file, and read the file as of the first of them."""
import os

import git

POINTS = os.path.join("data", "points.csv")


def write_points(n):
    with open(POINTS, "w") as fh:
        fh.write("x,y\n")
        for i in range(n):
            fh.write(f"{i},{i * i}\n")


repo = git.Repo.init(".")
os.makedirs("data", exist_ok=True)
for n in (3, 5, 8):
    write_points(n)
    repo.index.add([POINTS])
    repo.index.commit(f"{n} points")
with open("README.md", "w") as fh:
    fh.write("points dataset\n")
repo.index.add(["README.md"])
repo.index.commit("readme")

history = list(repo.iter_commits(paths=POINTS))
print("versions of the points:", len(history))
oldest = history[-1]
first_rows = repo.git.show(f"{oldest.hexsha}:data/points.csv").splitlines()[1:]
print("first version rows:", len(first_rows))
print("messages:", [c.message for c in history])
