"""Daily price snapshots committed with explicit `author_date`/`commit_date` (ISO strings) so that the history is a
time axis; a training job asks for the data "as of" a timestamp with `git rev-list -1 --before=<date> HEAD`, reads the
file at that commit with `repo.git.show(f"{sha}:{path}")` and compares with the latest snapshot; dates come from the
round number, so nothing depends on the clock. Each run commits three more days."""
import io
import os
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

SNAP = "snapshots/prices.csv"
EPOCH = datetime(2024, 3, 1, 18, 0, tzinfo=timezone.utc)

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "snapshotter")
    cw.set_value("user", "email", "snapshotter@example.com")

os.makedirs("snapshots", exist_ok=True)
days_done = sum(1 for _ in repo.iter_commits(paths=SNAP)) if repo.head.is_valid() else 0
products = [f"sku-{i:03d}" for i in range(25)]

for k in range(3):
    day = days_done + k
    rng = np.random.default_rng(day)
    if os.path.exists(SNAP):
        prev = pd.read_csv(SNAP).set_index("product")["price"]
    else:
        prev = pd.Series(np.linspace(5, 50, len(products)), index=products)
    price = (prev * np.exp(rng.normal(0.002, 0.02, len(products)))).round(2)
    pd.DataFrame({"product": products, "price": price.values}).to_csv(SNAP, index=False)
    stamp = (EPOCH + timedelta(days=day)).strftime("%Y-%m-%dT%H:%M:%S+0000")
    repo.index.add([SNAP])
    repo.index.commit(f"snapshot day {day}", author_date=stamp, commit_date=stamp)

history = list(repo.iter_commits(paths=SNAP))
first, last = history[-1].committed_datetime, history[0].committed_datetime
print(f"snapshots: {len(history)} from {first.date()} to {last.date()}")

as_of = EPOCH + timedelta(days=days_done + 1, hours=12)  # midway through this run's days
sha = repo.git.rev_list("-1", f"--before={as_of.isoformat()}", "HEAD")
old = pd.read_csv(io.StringIO(repo.git.show(f"{sha}:{SNAP}")))
new = pd.read_csv(SNAP)
print(f"as of {as_of.isoformat()}: commit '{repo.commit(sha).summary}' dated {repo.commit(sha).committed_datetime.isoformat()}")
print(f"mean price as of then {old['price'].mean():.3f}, latest {new['price'].mean():.3f}, "
      f"products up {int((new['price'] > old['price']).sum())}/{len(new)}")
