"""Sensor batches committed one per commit; a corrupt batch (negative readings) slips in. The first bad commit is
found with `git bisect` driven through `repo.git.bisect("start", bad, good)` and a Python check of the CSV at each
step (`bisect good` / `bisect bad` until "is the first bad commit"), then `bisect reset`, and the bad rows are removed
in a fix commit. Each run adds a new round of batches."""
import os
import re

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

DATA = "data/readings.csv"

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "ingest-bot")
    cw.set_value("user", "email", "ingest@example.com")

os.makedirs("data", exist_ok=True)
if not os.path.exists(DATA):
    pd.DataFrame({"batch": [], "sensor": [], "value": []}).to_csv(DATA, index=False)
    repo.index.add([DATA])
    repo.index.commit("empty readings table")

round_no = sum(1 for c in repo.iter_commits(paths=DATA) if c.summary.startswith("fix:")) + 1
rng = np.random.default_rng(100 + round_no)
good_commit = repo.head.commit
n_batches = 7
corrupt_at = int(rng.integers(1, n_batches))  # 0-based index of the batch that goes wrong

for b in range(n_batches):
    df = pd.read_csv(DATA)
    batch_id = f"r{round_no}b{b}"
    values = rng.normal(20, 3, size=25).round(2)
    if b == corrupt_at:
        values[rng.choice(25, 4, replace=False)] *= -1  # sign flip from a broken converter
    new = pd.DataFrame({"batch": batch_id, "sensor": rng.integers(1, 6, 25), "value": values})
    pd.concat([df, new], ignore_index=True).to_csv(DATA, index=False)
    repo.index.add([DATA])
    repo.index.commit(f"ingest batch {batch_id}")


def data_is_clean():
    return bool((pd.read_csv(DATA)["value"] >= 0).all())


print(f"round {round_no}: {n_batches} batches committed, HEAD clean: {data_is_clean()}")
out = repo.git.bisect("start", "HEAD", good_commit.hexsha)
steps = 0
first_bad = None
while first_bad is None:
    steps += 1
    verdict = "good" if data_is_clean() else "bad"
    out = repo.git.bisect(verdict)
    m = re.search(r"^([0-9a-f]{40}) is the first bad commit", out, flags=re.M)
    if m:
        first_bad = repo.commit(m.group(1))
repo.git.bisect("reset")

print(f"bisect steps: {steps}; first bad commit: '{first_bad.summary}' (expected batch r{round_no}b{corrupt_at})")
df = pd.read_csv(DATA)
bad_rows = df["value"] < 0
df.loc[~bad_rows].to_csv(DATA, index=False)
repo.index.add([DATA])
repo.index.commit(f"fix: drop {int(bad_rows.sum())} negative readings introduced by {first_bad.summary}")
df = pd.read_csv(DATA)
print(f"after fix: rows {len(df)}, min value {df['value'].min():.2f}, mean {df['value'].mean():.3f}, "
      f"batches {df['batch'].nunique()}")
