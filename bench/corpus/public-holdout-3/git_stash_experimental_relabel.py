"""Try a relabelling of committed data, stash it, look at the committed version, pop it back.

The labels file is committed; an experimental relabel edits it in place; `git stash push`
puts the edit aside so the committed labels can be checked, `git stash pop` brings it back,
and the relabel is committed.
"""
import os

import numpy as np
import pandas as pd
from git import Repo

LABELS = os.path.join("data", "labels.csv")


def positive_rate(path=LABELS):
    frame = pd.read_csv(path)
    return len(frame), frame["label"].mean()


repo = Repo.init(".")
with repo.config_writer() as writer:
    writer.set_value("user", "name", "Label Bot")
    writer.set_value("user", "email", "labels@example.com")

rng = np.random.default_rng(17)
os.makedirs("data", exist_ok=True)
scores = rng.uniform(0, 1, 300).round(4)
pd.DataFrame({"id": np.arange(300), "score": scores, "label": (scores > 0.6).astype(int)}).to_csv(LABELS, index=False)
repo.index.add([LABELS])
repo.index.commit("labels: threshold 0.6")
rows, rate = positive_rate()
print(f"committed labels: {rows} rows, positive rate {rate:.4f}")

# experiment: a lower threshold
frame = pd.read_csv(LABELS)
frame["label"] = (frame["score"] > 0.45).astype(int)
frame.to_csv(LABELS, index=False)
rows, rate = positive_rate()
print(f"experimental labels: {rows} rows, positive rate {rate:.4f}")
print("working tree dirty:", repo.is_dirty())

repo.git.stash("push", "-m", "relabel at 0.45")
rows, rate = positive_rate()
print(f"after stash: {rows} rows, positive rate {rate:.4f}")
print("stash entries:", len(repo.git.stash("list").splitlines()))

repo.git.stash("pop")
rows, rate = positive_rate()
print(f"after pop: {rows} rows, positive rate {rate:.4f}")
repo.git.add(LABELS)
repo.index.commit("labels: threshold 0.45")
print("commits:", len(list(repo.iter_commits())))
print("working tree dirty:", repo.is_dirty())
