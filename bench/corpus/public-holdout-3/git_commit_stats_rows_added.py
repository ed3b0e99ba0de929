"""An append-only event log committed once per day; rows added per commit come from commit.stats.

The history of data/events.csv is read back with iter_commits(paths=..., reverse=True) and
each commit's stats.files entry tells how many lines (events) it added and removed.
"""
import os
import random

from git import Repo

EVENTS = "data/events.csv"


def append_day(day, n_events, rnd):
    new_file = not os.path.exists(EVENTS)
    with open(EVENTS, "a") as fh:
        if new_file:
            fh.write("day,user,amount\n")
        for _ in range(n_events):
            fh.write(f"{day},{rnd.randint(1, 40)},{rnd.uniform(1, 100):.2f}\n")


def summary():
    with open(EVENTS) as fh:
        rows = [line.rstrip("\n").split(",") for line in fh][1:]
    amounts = [float(r[2]) for r in rows]
    return len(rows), sum(amounts) / len(amounts)


if __name__ == "__main__":
    repo = Repo.init(".")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "ingest")
        cfg.set_value("user", "email", "ingest@example.com")

    os.makedirs("data", exist_ok=True)
    rnd = random.Random(5)
    for day, n_events in [(1, 35), (2, 12), (3, 50), (4, 8)]:
        append_day(day, n_events, rnd)
        repo.index.add([EVENTS])
        repo.index.commit(f"events for day {day}")
        rows, mean_amount = summary()
        print(f"day {day}: {rows} events so far, mean amount {mean_amount:.2f}")

    print("per-commit changes to", EVENTS)
    for commit in repo.iter_commits(paths=EVENTS, reverse=True):
        stats = commit.stats.files[EVENTS]
        print(f"  {commit.summary}: +{stats['insertions']} -{stats['deletions']} lines")
