"""A preprocessing config (JSON) and the table it produced, committed together with an explicit
git.Actor as author; then the config changes, the table is rebuilt and both are recommitted."""
import json
import os

import numpy as np
import pandas as pd
from git import Actor, Repo

CONFIG = "params.json"
TABLE = os.path.join("prepared", "table.csv")
BOT = Actor("data-bot", "data-bot@example.invalid")


def prepare(cfg):
    rng = np.random.default_rng(cfg["seed"])
    raw = rng.lognormal(mean=3.0, sigma=0.6, size=cfg["n_rows"])
    clipped = np.clip(raw, None, cfg["clip_at"])
    df = pd.DataFrame({"value": clipped.round(3)})
    df["bucket"] = pd.cut(df["value"], bins=cfg["n_buckets"], labels=False)
    df.to_csv(TABLE, index=False)
    return df


def commit_both(repo, cfg, message):
    with open(CONFIG, "w") as fh:
        json.dump(cfg, fh, indent=2)
    df = prepare(cfg)
    repo.index.add([CONFIG, TABLE])
    repo.index.commit(message, author=BOT, committer=BOT)
    return df


if __name__ == "__main__":
    os.makedirs("prepared", exist_ok=True)
    repo = Repo.init(".")
    cfg = {"seed": 0, "n_rows": 300, "clip_at": 60.0, "n_buckets": 4}
    df1 = commit_both(repo, cfg, "prepare table (clip 60)")
    cfg["clip_at"] = 40.0
    cfg["n_buckets"] = 5
    df2 = commit_both(repo, cfg, "prepare table (clip 40, 5 buckets)")
    print("v1 max:", df1["value"].max(), "buckets:", df1["bucket"].nunique())
    print("v2 max:", df2["value"].max(), "buckets:", df2["bucket"].nunique())
    print("author of last commit:", repo.head.commit.author.name)
