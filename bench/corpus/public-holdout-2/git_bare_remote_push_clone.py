"""Publish a dataset to a remote and read it back elsewhere: the current directory is the working
repository, a bare repository in remote.git plays the server (added as origin with
create_remote() and pushed to), a clone in downstream/ reads the data; a second version is
pushed and pulled into the clone. Both folders are ignored by the working repository."""
import json
import os

import numpy as np
from git import Repo

FEATURES = os.path.join("dataset", "features.json")


def write_features(n, seed):
    rng = np.random.default_rng(seed)
    records = [{"id": i, "x": round(float(v), 4)} for i, v in enumerate(rng.normal(size=n))]
    with open(FEATURES, "w") as fh:
        json.dump(records, fh)


def describe(path, label):
    with open(path) as fh:
        records = json.load(fh)
    print(f"{label}: {len(records)} records, mean x={np.mean([r['x'] for r in records]):.4f}")


if __name__ == "__main__":
    os.makedirs("dataset", exist_ok=True)
    repo = Repo.init(".")
    with open(".gitignore", "w") as fh:
        fh.write("remote.git/\ndownstream/\n")
    write_features(50, seed=1)
    repo.index.add([".gitignore", FEATURES])
    repo.index.commit("dataset v1")
    branch = repo.active_branch.name

    remote_repo = Repo.init("remote.git", bare=True)
    origin = repo.create_remote("origin", os.path.abspath("remote.git"))
    origin.push(refspec=f"{branch}:{branch}")

    clone = Repo.clone_from(os.path.abspath("remote.git"), "downstream", branch=branch)
    describe(os.path.join("downstream", FEATURES), "downstream after clone")

    write_features(80, seed=2)
    repo.index.add([FEATURES])
    repo.index.commit("dataset v2")
    origin.push(refspec=f"{branch}:{branch}")

    clone.remotes.origin.pull(branch)
    describe(os.path.join("downstream", FEATURES), "downstream after pull")
    describe(FEATURES, "working copy")
    print("commits on remote:", len(list(remote_repo.iter_commits(branch))))
