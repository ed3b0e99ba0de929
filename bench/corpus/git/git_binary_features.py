"""Version a binary numpy feature file with GitPython and check its status."""
import numpy as np
from git import Repo

repo = Repo(".")
features = np.arange(20, dtype=np.float32).reshape(4, 5)
np.save("features.npy", features)
repo.index.add(["features.npy"])
repo.index.commit("features v1")
np.save("features.npy", features * 2)
repo.index.add(["features.npy"])
repo.index.commit("features v2")
print("feature commits:", len([c for c in repo.iter_commits() if c.message.startswith("features")]))
print("sum now:", float(np.load("features.npy").sum()))
