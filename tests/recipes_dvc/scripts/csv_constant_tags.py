"""Snapshot a CSV dataset per release tag and compare the versions."""
import csv
import os

from git import Repo

DATA_PATH = "dataset.csv"
CONFIG_PATH = "config.yaml"


def write_rows(n):
    with open(DATA_PATH, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "value"])
        for i in range(n):
            writer.writerow([i, i * i])


def snapshot(repo, message, tag):
    repo.index.add([DATA_PATH])
    repo.index.commit(message)
    repo.create_tag(tag)


repo = Repo.init(os.getcwd())
with open(CONFIG_PATH, "w") as handle:
    handle.write("lr: 0.1\n")
repo.index.add([CONFIG_PATH])
repo.index.commit("config")
for version, rows in enumerate([3, 5, 8], start=1):
    write_rows(rows)
    snapshot(repo, f"data v{version}", f"v{version}")
for tag in ["v1", "v2", "v3"]:
    text = repo.git.show(f"{tag}:{DATA_PATH}")
    print(tag, len(text.splitlines()) - 1, "rows")
print("tags:", sorted(t.name for t in repo.tags))
print("clean:", not repo.is_dirty(untracked_files=True))
print("data commits:", len(list(repo.iter_commits(paths=DATA_PATH))))
print("config commits:", len(list(repo.iter_commits("HEAD", CONFIG_PATH))))
print("log of data:", len(repo.git.log("--oneline", "--", DATA_PATH).splitlines()))
