"""Shipping a dataset repository to an offline site with `git bundle`: each run commits a new day of readings to
`data/readings.csv`, writes `transfer/dataset.bundle` with `repo.git.bundle("create", path, branch)`, checks it with
`bundle verify`, and the offline copy (`offline_site/`, ignored) is created with `Repo.clone_from(bundle)` on the
first run and updated with `offline.git.pull(bundle, branch)` afterwards. Row counts and the latest day are compared
on both sides; `bundle list-heads` shows what was shipped."""
import os

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

DATA = "data/readings.csv"
BUNDLE = os.path.abspath("transfer/dataset.bundle")
OFFLINE = "offline_site"

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "station")
    cw.set_value("user", "email", "station@example.com")

if not os.path.exists(".gitignore"):
    with open(".gitignore", "w") as fh:
        fh.write("transfer/\noffline_site/\n")
    repo.index.add([".gitignore"])
    repo.index.commit("ignore transfer and offline copies")

os.makedirs("data", exist_ok=True)
day = sum(1 for c in repo.iter_commits() if c.summary.startswith("readings day")) + 1
rng = np.random.default_rng(day)
rows = pd.DataFrame({"day": day, "station": np.arange(24) % 6, "pm25": rng.gamma(2.0, 6.0, 24).round(2)})
if os.path.exists(DATA):
    rows = pd.concat([pd.read_csv(DATA), rows], ignore_index=True)
rows.to_csv(DATA, index=False)
repo.index.add([DATA])
repo.index.commit(f"readings day {day}: {24} rows")
branch = repo.active_branch.name

os.makedirs("transfer", exist_ok=True)
repo.git.bundle("create", BUNDLE, branch)
verify = repo.git.bundle("verify", BUNDLE, with_extended_output=True)
print(f"day {day}: bundle written ({'verified' if verify[0] == 0 else 'INVALID'}), "
      f"heads {len(repo.git.bundle('list-heads', BUNDLE).splitlines())}")

if not os.path.exists(OFFLINE):
    offline = Repo.clone_from(BUNDLE, OFFLINE, branch=branch)
    print("offline site: cloned from the bundle")
else:
    offline = Repo(OFFLINE)
    with offline.config_writer() as cw:
        cw.set_value("user", "name", "offline")
        cw.set_value("user", "email", "offline@example.com")
    offline.git.pull(BUNDLE, branch)
    print("offline site: pulled from the bundle")

here = pd.read_csv(DATA)
there = pd.read_csv(os.path.join(OFFLINE, DATA))
print(f"rows here {len(here)}, offline {len(there)}, same content {here.equals(there)}")
print(f"offline latest day {int(there['day'].max())}, mean pm25 {there['pm25'].mean():.3f}")
print(f"offline commits: {sum(1 for _ in offline.iter_commits())}, last '{offline.head.commit.summary}'")
