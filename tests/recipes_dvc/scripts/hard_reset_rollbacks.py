"""Roll a bad relabelling back twice: `git reset --hard` on an unsaved edit, then HEAD~1 after a commit."""
import numpy as np
import git

repo = git.Repo.init(".")
np.save("labels.npy", np.array([0, 1, 1, 0]))
repo.index.add(["labels.npy"])
repo.index.commit("labels v1")

np.save("labels.npy", np.array([9, 9, 9, 9]))
print("edited:", np.load("labels.npy").tolist())
repo.git.reset("--hard")
print("after reset --hard:", np.load("labels.npy").tolist())

np.save("labels.npy", np.array([1, 1, 1, 1]))
repo.index.add(["labels.npy"])
repo.index.commit("labels v2")
print("v2:", np.load("labels.npy").tolist())
repo.head.reset("HEAD~1", index=True, working_tree=True)
print("back to v1:", np.load("labels.npy").tolist(), "commits:", len(list(repo.iter_commits())))
