"""A bad unit conversion is committed, caught by a range check, and undone with `git revert`.

The temperatures are committed in Celsius; a later step converts them twice by mistake and
commits; the check finds the mean out of range and reverts that commit, keeping history.
"""
import os

import pandas as pd
from git import Repo

DATA = "data/temperatures.csv"


def read_mean():
    frame = pd.read_csv(DATA)
    return len(frame), frame["temp_c"].mean()


def commit_file(repo, message):
    repo.index.add([DATA])
    repo.index.commit(message)


repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "sensor-etl")
    cw.set_value("user", "email", "etl@example.com")

os.makedirs("data", exist_ok=True)
hours = list(range(48))
frame = pd.DataFrame({"hour": hours, "temp_c": [12 + 6 * ((h % 24) / 23) - 2 * (h >= 24) for h in hours]})
frame.to_csv(DATA, index=False)
commit_file(repo, "raw temperatures")
rows, mean = read_mean()
print(f"v1: {rows} rows, mean {mean:.3f} C")

# the faulty step: Celsius -> Fahrenheit conversion applied to a column that stays named temp_c
frame["temp_c"] = frame["temp_c"] * 9 / 5 + 32
frame.to_csv(DATA, index=False)
commit_file(repo, "convert units")
rows, mean = read_mean()
print(f"v2: {rows} rows, mean {mean:.3f}")

if not (-30 <= mean <= 45):
    print("range check failed, reverting the last commit")
    repo.git.revert("HEAD", no_edit=True)

rows, mean = read_mean()
print(f"after revert: {rows} rows, mean {mean:.3f} C")
print("commits:", len(list(repo.iter_commits())))
print("last summary starts with Revert:", repo.head.commit.summary.startswith("Revert"))
