"""Feature work on a branch while the raw export is refreshed on the base branch: `create_head("features-N")`,
feature commits there, a raw refresh committed on the base branch, then the feature branch is rebased with
`repo.git.rebase(base)`, features recomputed from the refreshed raw data and the base branch fast-forwarded with
`repo.git.merge("--ff-only", branch)`; history stays linear (no merge commits). Each run is one round."""
import os

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

RAW = "raw/export.csv"
FEAT = "features/agg.csv"

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "feature-dev")
    cw.set_value("user", "email", "feature-dev@example.com")


def write_raw(seed, n):
    rng = np.random.default_rng(seed)
    os.makedirs("raw", exist_ok=True)
    pd.DataFrame({"customer": rng.integers(0, 40, n), "amount": rng.gamma(2.0, 30.0, n).round(2),
                  "channel": rng.choice(["web", "shop", "phone"], n)}).to_csv(RAW, index=False)


def build_features():
    raw = pd.read_csv(RAW)
    agg = raw.groupby("customer").agg(n_orders=("amount", "size"), total=("amount", "sum"),
                                      web_share=("channel", lambda s: float((s == "web").mean())))
    os.makedirs("features", exist_ok=True)
    agg.round(3).to_csv(FEAT)
    return agg


if not repo.head.is_valid():
    write_raw(0, 300)
    repo.index.add([RAW])
    repo.index.commit("raw export v1")

base = repo.active_branch
round_no = sum(1 for h in repo.heads if h.name.startswith("features-")) + 1
branch = repo.create_head(f"features-{round_no}", base.commit)

# 1) feature work on the branch
branch.checkout()
agg = build_features()
with open("features/README.txt", "w") as fh:
    fh.write(f"round {round_no}: per-customer aggregates (n_orders, total, web_share)\n")
repo.index.add([FEAT, "features/README.txt"])
repo.index.commit(f"features round {round_no}: per-customer aggregates")
print(f"[{branch.name}] features from old raw: customers {len(agg)}, mean total {agg['total'].mean():.2f}")

# 2) meanwhile the raw export is refreshed on the base branch
base.checkout()
write_raw(round_no, 300 + 60 * round_no)
repo.index.add([RAW])
repo.index.commit(f"raw export refresh {round_no}")

# 3) rebase the feature branch onto the refreshed base, rebuild the features and commit
branch.checkout()
repo.git.rebase(base.name)
agg = build_features()
if repo.is_dirty(path=FEAT):
    repo.index.add([FEAT])
    repo.index.commit(f"features round {round_no}: rebuilt on refreshed raw")
print(f"[{branch.name}] after rebase: customers {len(agg)}, mean total {agg['total'].mean():.2f}, "
      f"raw rows {len(pd.read_csv(RAW))}")

# 4) fast-forward the base branch
base.checkout()
repo.git.merge("--ff-only", branch.name)
history = list(repo.iter_commits(base.name))
merges = sum(1 for c in history if len(c.parents) > 1)
print(f"base branch: {len(history)} commits, merge commits {merges}")
print("latest subjects:", [c.summary for c in history[:4]])
