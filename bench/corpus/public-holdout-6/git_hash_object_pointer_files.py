"""DVC-like pointer files done with git plumbing: the feature matrix `data/features.npy` is ignored, its bytes are
written to the object database with `repo.git.hash_object("-w", path)` and pinned by `update-ref refs/data/vN`, and
only a small JSON pointer (`data/features.npy.ptr`: oid, size, shape) is committed. The previous version is restored
from the pointer of `HEAD~1` through `repo.odb.stream(...)` and compared with the current one. Each run is a version."""
import io
import json
import os

import numpy as np
from git import Repo
from git.exc import InvalidGitRepositoryError

BIG = "data/features.npy"
PTR = BIG + ".ptr"

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "data-eng")
    cw.set_value("user", "email", "data-eng@example.com")

os.makedirs("data", exist_ok=True)
if not os.path.exists(".gitignore"):
    with open(".gitignore", "w") as fh:
        fh.write("data/*.npy\n")
    repo.index.add([".gitignore"])
    repo.index.commit("ignore raw arrays, version pointers instead")

version = sum(1 for _ in repo.iter_commits(paths=PTR)) + 1
rng = np.random.default_rng(version)
X = rng.normal(loc=0.1 * version, scale=1.0, size=(2000 + 500 * version, 12)).astype(np.float32)
np.save(BIG, X)

oid = repo.git.hash_object("-w", BIG)
repo.git.update_ref(f"refs/data/v{version}", oid)
pointer = {"oid": oid, "size": os.path.getsize(BIG), "shape": list(X.shape), "dtype": str(X.dtype)}
with open(PTR, "w") as fh:
    json.dump(pointer, fh, indent=2)
repo.index.add([PTR])
repo.index.commit(f"features v{version}: {X.shape[0]} rows")
print(f"version {version}: rows {X.shape[0]}, mean {X.mean():.4f}, bytes {pointer['size']}, "
      f"ignored: {bool(repo.ignored(BIG))}, tracked pointer: {PTR in [e[0] for e in repo.index.entries]}")


def load_version(rev):
    ptr = json.loads(repo.git.show(f"{rev}:{PTR}"))
    raw = repo.odb.stream(bytes.fromhex(ptr["oid"])).read()
    arr = np.load(io.BytesIO(raw))
    assert list(arr.shape) == ptr["shape"]
    return arr


current = load_version("HEAD")
print(f"restored HEAD from the object store: identical to working copy {np.array_equal(current, X)}")
if version > 1:
    prev = load_version("HEAD~1")
    print(f"previous version: rows {prev.shape[0]}, mean {prev.mean():.4f} (delta mean {X.mean() - prev.mean():+.4f})")
refs = sorted(r.split()[-1] for r in repo.git.for_each_ref("refs/data/").splitlines())
print(f"pinned data refs: {refs}")
