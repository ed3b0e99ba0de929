"""Compare the current feature table with the previous committed version without touching the working
copy: the previous commit is checked out in a second work tree (git worktree add --detach), read,
compared column by column, and the work tree is removed again."""
from pathlib import Path

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError

FEATURES = Path("features.csv")
OLD_TREE = "previous_version"


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "feature-pipeline")
        cw.set_value("user", "email", "pipeline@example.org")
    Path(".gitignore").write_text(f"{OLD_TREE}/\n")
    return repo


def build_features(version, rng):
    n = 200 + 50 * version
    df = pd.DataFrame({
        "age": rng.randint(18, 90, n),
        "income": rng.lognormal(10, 0.5, n).round(2),
        "visits": rng.poisson(3, n),
    })
    if version >= 2:
        df["income"] = np.log(df["income"]).round(4)  # version 2 stores log income
    return df


def main():
    repo = open_repo()
    rng = np.random.RandomState(123)
    for version in (1, 2):
        build_features(version, rng).to_csv(FEATURES, index=False)
        repo.index.add([str(FEATURES), ".gitignore"])
        repo.index.commit(f"features v{version}")

    repo.git.worktree("prune")
    repo.git.worktree("add", "--detach", OLD_TREE, "HEAD~1")
    try:
        old = pd.read_csv(Path(OLD_TREE) / FEATURES.name)
    finally:
        repo.git.worktree("remove", "--force", OLD_TREE)
    new = pd.read_csv(FEATURES)

    print(f"rows_previous={len(old)} rows_current={len(new)}")
    for col in new.columns:
        print(f"{col}: previous_mean={old[col].mean():.3f} current_mean={new[col].mean():.3f}")
    changed = [c for c in new.columns if not np.isclose(old[c].mean(), new[c].mean(), rtol=0.05)]
    print(f"columns_shifted={changed}")
    print(f"worktrees={len(repo.git.worktree('list').splitlines())}")


if __name__ == "__main__":
    main()
