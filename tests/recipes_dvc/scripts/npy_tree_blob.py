import io

import git
import numpy as np

repo = git.Repo.init(".")
np.save("features.npy", np.arange(10, dtype=np.int64))
with open("README.md", "w") as f:
    f.write("# features\n")
repo.index.add(["features.npy", "README.md"])
first = repo.index.commit("first features")
np.save("features.npy", np.arange(20, dtype=np.int64))
repo.index.add(["features.npy"])
repo.index.commit("more features")

blob = first.tree / "features.npy"
old = np.load(io.BytesIO(blob.data_stream.read()))
new = np.load(io.BytesIO((repo.head.commit.tree / "features.npy").data_stream.read()))
print("old sum", int(old.sum()), "new sum", int(new.sum()))
print("commits", len(list(repo.iter_commits())))
