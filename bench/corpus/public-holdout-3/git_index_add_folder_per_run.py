"""Each collection run drops a new shard into data/ and the whole folder is committed.

repo.index.add() is given the folder itself; the commit message carries the dataset stats;
at the end the history is read back with iter_commits (oldest first) and the messages printed.
"""
import csv
import os

import numpy as np
from git import InvalidGitRepositoryError, Repo


def open_repo(path="."):
    try:
        return Repo(path)
    except InvalidGitRepositoryError:
        return Repo.init(path)


def write_shard(run_id, n_rows, rng):
    os.makedirs("data", exist_ok=True)
    path = os.path.join("data", f"shard_{run_id:02d}.csv")
    values = rng.normal(loc=0.5 + 0.1 * run_id, scale=0.2, size=n_rows)
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["run", "value"])
        for v in values:
            writer.writerow([run_id, f"{v:.5f}"])
    return path


def folder_stats(folder="data"):
    values = []
    shards = sorted(name for name in os.listdir(folder) if name.endswith(".csv"))
    for name in shards:
        with open(os.path.join(folder, name)) as fh:
            values += [float(row["value"]) for row in csv.DictReader(fh)]
    return len(shards), len(values), float(np.mean(values))


repo = open_repo()
with repo.config_writer() as cw:
    cw.set_value("user", "name", "collector")
    cw.set_value("user", "email", "collector@example.com")

rng = np.random.default_rng(2024)
for run_id, n_rows in enumerate([120, 80, 150], start=1):
    write_shard(run_id, n_rows, rng)
    n_shards, n_values, mean = folder_stats()
    repo.index.add(["data"])
    message = f"run {run_id}: {n_shards} shards, {n_values} rows, mean {mean:.4f}"
    repo.index.commit(message)
    print("committed:", message)

print("history (oldest first):")
for commit in reversed(list(repo.iter_commits(max_count=3))):
    print("  ", commit.message.strip())
