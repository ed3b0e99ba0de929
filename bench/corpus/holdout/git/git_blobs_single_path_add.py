"""Binary blobs added one path at a time (a string, then a list); the folder is listed."""
import os

from git import Repo

DATA_DIR = "blobs"
repo = Repo.init(".")
os.makedirs(DATA_DIR, exist_ok=True)
for name, size in (("a.bin", 16), ("b.bin", 32)):
    with open(os.path.join(DATA_DIR, name), "wb") as fh:
        fh.write(bytes(range(size)))
repo.index.add(os.path.join(DATA_DIR, "a.bin"))
repo.index.add([os.path.join(DATA_DIR, "b.bin")])
repo.index.commit("blobs")
sizes = {n: os.path.getsize(os.path.join(DATA_DIR, n)) for n in sorted(os.listdir(DATA_DIR))}
print("sizes:", sizes)
print("untracked:", repo.untracked_files)
