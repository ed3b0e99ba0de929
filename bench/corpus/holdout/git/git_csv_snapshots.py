"""Append daily rows to a CSV and snapshot it with GitPython after each batch."""
import csv
import os

import git

DATA_FILE = os.path.join("data", "sensor_readings.csv")


def open_repo(path="."):
    try:
        return git.Repo(path)
    except git.InvalidGitRepositoryError:
        return git.Repo.init(path)


def append_rows(rows):
    new_file = not os.path.exists(DATA_FILE)
    with open(DATA_FILE, "a", newline="") as fh:
        writer = csv.writer(fh)
        if new_file:
            writer.writerow(["day", "sensor", "value"])
        writer.writerows(rows)


def snapshot(repo, message):
    repo.index.add([DATA_FILE])
    return repo.index.commit(message)


if __name__ == "__main__":
    os.makedirs("data", exist_ok=True)
    repo = open_repo()
    append_rows([(1, "a", 0.5), (1, "b", 0.7)])
    snapshot(repo, "day 1 readings")
    append_rows([(2, "a", 0.6), (2, "b", 0.9), (2, "c", 0.1)])
    commit = snapshot(repo, "day 2 readings")
    with open(DATA_FILE) as fh:
        rows = list(csv.DictReader(fh))
    print("rows:", len(rows))
    print("sensors:", sorted({r["sensor"] for r in rows}))
    print("mean value:", round(sum(float(r["value"]) for r in rows) / len(rows), 3))
    print("snapshot message:", commit.message)
