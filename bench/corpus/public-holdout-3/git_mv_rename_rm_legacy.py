"""Rename a dataset file with `git mv` and drop a legacy file with `git rm`, then commit.

Version one of the project had data/train_v1.csv and data/legacy_labels.csv; the cleanup
renames the first to data/train.csv, removes the second, and appends the new rows.
"""
import os

import pandas as pd
from git import Repo

repo = Repo.init(".")
config = repo.config_writer()
config.set_value("user", "name", "Data Steward")
config.set_value("user", "email", "steward@example.com")
config.release()

os.makedirs("data", exist_ok=True)
train = pd.DataFrame({"x1": [i * 0.5 for i in range(60)], "x2": [(i * 7) % 11 for i in range(60)]})
train["y"] = (train["x1"] + train["x2"] > 18).astype(int)
train.to_csv("data/train_v1.csv", index=False)
pd.DataFrame({"id": range(60), "old_label": [i % 2 for i in range(60)]}).to_csv("data/legacy_labels.csv", index=False)
repo.git.add(all=True)
repo.index.commit("v1 data")
print(f"v1: train rows {len(train)}, positives {int(train['y'].sum())}")

repo.git.mv("data/train_v1.csv", "data/train.csv")
repo.git.rm("data/legacy_labels.csv")
extra = pd.DataFrame({"x1": [30 + i * 0.25 for i in range(20)], "x2": [(i * 3) % 5 for i in range(20)]})
extra["y"] = (extra["x1"] + extra["x2"] > 18).astype(int)
merged = pd.concat([pd.read_csv("data/train.csv"), extra], ignore_index=True)
merged.to_csv("data/train.csv", index=False)
repo.git.add("data/train.csv")
repo.index.commit("rename train file, drop legacy labels, add 20 rows")

current = pd.read_csv("data/train.csv")
print(f"v2: train rows {len(current)}, positives {int(current['y'].sum())}, mean x1 {current['x1'].mean():.3f}")
print("legacy labels still on disk:", os.path.exists("data/legacy_labels.csv"))
print("old file name still on disk:", os.path.exists("data/train_v1.csv"))
print("working tree dirty:", repo.is_dirty(untracked_files=True))
