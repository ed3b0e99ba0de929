"""Save numpy arrays, look at what git does not track yet, then version them."""
import os

import numpy as np
from git import Repo

repo = Repo.init(".")
os.makedirs("arrays", exist_ok=True)
rng = np.random.default_rng(0)
np.save("arrays/embeddings.npy", rng.normal(size=(10, 4)))
np.save("arrays/targets.npy", rng.integers(0, 3, size=10))
with open("notes.md", "w") as fh:
    fh.write("# arrays\nembeddings and targets\n")

pending = sorted(f for f in repo.untracked_files if f.endswith(".npy"))
print("new arrays:", pending)
print("dirty (untracked):", repo.is_dirty(untracked_files=True))
repo.index.add(pending + ["notes.md"])
repo.index.commit("add arrays")
print("still untracked:", sorted(f for f in repo.untracked_files if f.endswith(".npy")))

emb = np.load("arrays/embeddings.npy")
np.save("arrays/embeddings.npy", emb * 2)
print("modified:", sorted(d.a_path for d in repo.index.diff(None)))
repo.index.add(["arrays/embeddings.npy"])
repo.index.commit("scale embeddings")
print("clean:", not repo.is_dirty())
print("embedding norm:", round(float(np.linalg.norm(np.load("arrays/embeddings.npy"))), 3))
