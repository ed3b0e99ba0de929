import os

import git
import numpy as np

repo = git.Repo.init(".")
np.save("embeddings_v1.npy", np.arange(12.0).reshape(3, 4))
np.save("scratch.npy", np.zeros(2))
with open("build.py", "w") as f:
    f.write("print('build')\n")
repo.index.add(["embeddings_v1.npy", "scratch.npy", "build.py"])
repo.index.commit("first arrays")

os.makedirs("arrays", exist_ok=True)
repo.git.mv("embeddings_v1.npy", "arrays")
repo.git.mv("build.py", "make_arrays.py")
repo.git.rm("scratch.npy")
repo.index.commit("arrays in their own folder")
print("moved:", np.load(os.path.join("arrays", "embeddings_v1.npy")).sum())
print("old names left:", [p for p in ("embeddings_v1.npy", "scratch.npy", "build.py") if os.path.exists(p)])
print("dirty:", repo.is_dirty(untracked_files=True))
print("in HEAD:", sorted(b.path for b in repo.head.commit.tree.traverse() if b.type == "blob" and b.path.endswith((".npy", ".py"))))
