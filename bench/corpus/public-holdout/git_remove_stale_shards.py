"""Dataset shards committed as CSVs; a re-shard removes stale shards with index.remove and adds the
new ones in the same commit."""
import glob
import os

import numpy as np
import pandas as pd
from git import Repo

SHARD_DIR = "shards"


def write_shards(df, n_shards):
    paths = []
    bounds = np.linspace(0, len(df), n_shards + 1).astype(int)
    for i in range(n_shards):
        part = df.iloc[bounds[i]:bounds[i + 1]]
        path = os.path.join(SHARD_DIR, f"part-{i:02d}.csv")
        part.to_csv(path, index=False)
        paths.append(path)
    return paths


if __name__ == "__main__":
    os.makedirs(SHARD_DIR, exist_ok=True)
    repo = Repo.init(".")
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"id": np.arange(120), "score": rng.uniform(size=120).round(4)})
    first = write_shards(df, 4)
    repo.index.add(first)
    repo.index.commit("four shards")

    df = pd.concat([df, pd.DataFrame({"id": np.arange(120, 150),
                                      "score": rng.uniform(size=30).round(4)})])
    for path in first:
        os.remove(path)
    repo.index.remove(first)
    second = write_shards(df, 3)
    repo.index.add(second)
    repo.index.commit("re-shard into three parts")
    shards = sorted(glob.glob(os.path.join(SHARD_DIR, "*.csv")))
    total = sum(len(pd.read_csv(p)) for p in shards)
    print("shards:", [os.path.basename(p) for p in shards])
    print("rows across shards:", total)
