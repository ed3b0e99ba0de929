"""A preprocessing step that refuses to run on a dirty repository.

The first part writes .gitignore (cache/ and *.tmp are scratch) and the raw data and commits
them; the step then checks is_dirty(untracked_files=True), writes scratch files that git must
ignore and the cleaned table, and commits the cleaned table.
"""
import os
import sys

import numpy as np
from git import Repo


def ensure_repo():
    repo = Repo.init(".")
    cw = repo.config_writer()
    cw.set_value("user", "name", "pipeline")
    cw.set_value("user", "email", "pipeline@example.com")
    cw.release()
    return repo


def write_raw(path="data/raw.csv"):
    rng = np.random.default_rng(99)
    values = rng.normal(10, 3, 400)
    values[rng.choice(400, 25, replace=False)] = np.nan
    os.makedirs("data", exist_ok=True)
    np.savetxt(path, values, fmt="%.4f", header="reading", comments="")
    return path


def clean(raw_path="data/raw.csv", out_path="data/clean.csv"):
    values = np.genfromtxt(raw_path, skip_header=1)
    os.makedirs("cache", exist_ok=True)
    np.save("cache/nan_mask.npy", np.isnan(values))
    with open("cache/run.tmp", "w") as fh:
        fh.write("scratch\n")
    kept = values[~np.isnan(values)]
    kept = kept[np.abs(kept - kept.mean()) < 2.5 * kept.std()]
    np.savetxt(out_path, kept, fmt="%.4f", header="reading", comments="")
    return len(values), len(kept), kept.mean()


repo = ensure_repo()
with open(".gitignore", "w") as fh:
    fh.write("cache/\n*.tmp\n")
raw = write_raw()
print("untracked before first commit:", repo.is_dirty(untracked_files=True))
repo.index.add([".gitignore", raw])
repo.index.commit("raw readings and ignore rules")

if repo.is_dirty(untracked_files=True):
    sys.exit("refusing to preprocess: commit or remove your changes first")
n_raw, n_clean, mean = clean()
print(f"raw rows {n_raw}, clean rows {n_clean}, clean mean {mean:.4f}")
print("scratch file ignored:", bool(repo.ignored("cache/run.tmp")))

repo.index.add(["data/clean.csv"])
repo.index.commit(f"clean readings: {n_clean} rows")
print("dirty after commit (untracked included):", repo.is_dirty(untracked_files=True))
