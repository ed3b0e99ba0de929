"""Keep a compressed numpy archive in the repository and read an older version straight from a commit."""
import io
import os

import numpy as np
from git import Repo


def save_arrays(step):
    np.savez_compressed("cache/state.npz", weights=np.full(4, float(step)), step=np.array(step))


repo = Repo.init(".")
os.makedirs("cache", exist_ok=True)
commits = []
for step in range(1, 4):
    save_arrays(step)
    repo.index.add(["cache/state.npz"])
    commits.append(repo.index.commit(f"state at step {step}"))

blob = commits[0].tree / "cache/state.npz"
old = np.load(io.BytesIO(blob.data_stream.read()))
current = np.load("cache/state.npz")
print("old step:", int(old["step"]), "weights:", old["weights"].tolist())
print("current step:", int(current["step"]))
