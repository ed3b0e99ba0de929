"""A cleaning branch holds two commits on the raw export: a duplicate-row fix and an experimental
outlier clip. Only the fix is cherry-picked onto the base branch (repo.git.cherry_pick)."""
import io
from pathlib import Path

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

RAW = Path("data") / "sensor_export.csv"


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "data-cleaner")
        cw.set_value("user", "email", "cleaner@example.org")
    return repo


def new_export(rng):
    n = 300
    df = pd.DataFrame({
        "sensor": rng.choice(["s1", "s2", "s3"], n),
        "t": np.arange(n),
        "value": rng.normal(20, 3, n).round(3),
    })
    df.loc[rng.choice(n, 5, replace=False), "value"] = 500.0  # spikes
    return pd.concat([df, df.sample(20, random_state=1)]).sort_values("t", kind="stable")  # duplicated rows


def commit_frame(repo, df, message):
    RAW.parent.mkdir(exist_ok=True)
    df.to_csv(RAW, index=False)
    repo.index.add([str(RAW)])
    return repo.index.commit(message)


def main():
    repo = open_repo()
    rng = np.random.RandomState(5)
    commit_frame(repo, new_export(rng), "raw export")
    base = repo.active_branch
    run = sum(1 for _ in repo.iter_commits(base.name))

    cleaning = repo.create_head(f"cleaning-{run}", base.commit)
    cleaning.checkout()
    df = pd.read_csv(RAW)
    fix = commit_frame(repo, df.drop_duplicates(), "drop duplicated rows")
    df = pd.read_csv(RAW)
    commit_frame(repo, df.assign(value=df["value"].clip(upper=40)), "experiment: clip spikes at 40")

    base.checkout()
    repo.git.cherry_pick(fix.hexsha)
    picked = pd.read_csv(RAW)
    on_branch = pd.read_csv(io.StringIO(repo.git.show(f"{cleaning.name}:{RAW.as_posix()}")))
    print(f"base_rows={len(picked)} duplicates={int(picked.duplicated().sum())}")
    print(f"base_max_value={picked['value'].max():.1f}")
    print(f"cleaning_branch_max_value={on_branch['value'].max():.1f}")
    print(f"base_head_message={repo.head.commit.summary}")


if __name__ == "__main__":
    main()
