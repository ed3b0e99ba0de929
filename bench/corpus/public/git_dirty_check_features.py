"""Rebuild a features file and commit it only when git reports it dirty (repo.is_dirty(path=...))."""
import os

import numpy as np
from git import Repo

FEATURES = os.path.join("features", "embeddings.npy")


def build_features(n, dim, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, dim)).astype(np.float32)


def save_and_commit(repo, arr, message):
    np.save(FEATURES, arr)
    tracked = FEATURES in [e[0] for e in repo.index.entries]
    if not tracked or repo.is_dirty(path=FEATURES):
        repo.index.add([FEATURES])
        repo.index.commit(message)
        return True
    return False


if __name__ == "__main__":
    os.makedirs("features", exist_ok=True)
    repo = Repo(".") if os.path.isdir(".git") else Repo.init(".")
    print("committed v1:", save_and_commit(repo, build_features(64, 8, 0), "features v1"))
    print("committed same again:", save_and_commit(repo, build_features(64, 8, 0), "features v1 again"))
    arr = build_features(96, 8, 1)
    print("committed v2:", save_and_commit(repo, arr, "features v2: more rows"))
    print("shape:", arr.shape, "mean:", round(float(arr.mean()), 4))
