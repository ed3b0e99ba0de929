"""Train/test arrays saved as .npz, tagged per version; the old version read back through a checkout
of the tag into the work tree and the newest version restored after."""
import os

import numpy as np
from git import Repo

ARRAYS = "arrays/split.npz"


def save_version(repo, n, seed, tag):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)).round(4)
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    np.savez(ARRAYS, X_train=X[: int(n * 0.8)], y_train=y[: int(n * 0.8)],
             X_test=X[int(n * 0.8):], y_test=y[int(n * 0.8):])
    repo.index.add([ARRAYS])
    repo.index.commit(f"arrays {tag}")
    repo.create_tag(tag)


def describe(label):
    with np.load(ARRAYS) as z:
        print(f"{label}: train={z['X_train'].shape[0]} test={z['X_test'].shape[0]} "
              f"pos_rate={z['y_train'].mean():.3f}")


if __name__ == "__main__":
    os.makedirs("arrays", exist_ok=True)
    repo = Repo.init(".")
    save_version(repo, 100, 0, "v1.0")
    save_version(repo, 250, 1, "v2.0")
    describe("current")
    repo.git.checkout("v1.0", "--", ARRAYS)
    describe("checked out v1.0")
    repo.git.checkout("HEAD", "--", ARRAYS)
    describe("back to HEAD")
