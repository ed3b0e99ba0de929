"""Commit a labels CSV, relabel some rows, list changed files with `git diff --name-only`, commit again."""
import os

import pandas as pd
from git import Repo

DATA = os.path.join("data", "labels.csv")


def get_repo():
    if os.path.isdir(".git"):
        return Repo(".")
    return Repo.init(".")


def write_initial():
    os.makedirs("data", exist_ok=True)
    df = pd.DataFrame({"image": [f"img_{i:03d}.png" for i in range(12)],
                       "label": ["cat", "dog", "bird"] * 4})
    df.to_csv(DATA, index=False)
    return df


def relabel(df):
    df.loc[df["label"] == "bird", "label"] = "sparrow"
    df.to_csv(DATA, index=False)
    return df


repo = get_repo()
df = write_initial()
repo.index.add([DATA])
repo.index.commit("add labels v1")
print("v1 label counts:", df["label"].value_counts().sort_index().to_dict())

df = relabel(df)
changed = repo.git.diff(None, name_only=True).splitlines()
print("changed files:", changed)
repo.git.add(update=True)
repo.index.commit("relabel birds as sparrows")
print("v2 label counts:", df["label"].value_counts().sort_index().to_dict())
print("dirty after commit:", repo.is_dirty())
