"""Version a binary numpy feature file with GitPython and check its status."""
import numpy as np
from git import Repo

repo = Repo(".")
features = np.arange(20, dtype=np.float32).reshape(4, 5)
np.save("features.npy", features)
repo.index.add(["features.npy"])
repo.index.commit("features v1")
np.save("features.npy", features * 2)
print("dirty after change:", repo.is_dirty())
repo.index.add(["features.npy"])
repo.index.commit("features v2")
print("dirty after commit:", repo.is_dirty())
print("sum now:", float(np.load("features.npy").sum()))
