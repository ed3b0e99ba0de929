"""Guard a preprocessing step: the raw table is committed, a preprocessing run rewrites it, a check
finds the result invalid and the working tree is reset to HEAD with repo.head.reset(index=True,
working_tree=True); a second, valid run is committed and the is_dirty() state reported."""
import os

import pandas as pd
from git import Repo

TABLE = os.path.join("tables", "customers.csv")


def raw_table():
    return pd.DataFrame({
        "customer": [f"c{i:03d}" for i in range(60)],
        "spend": [round((i * 37) % 101 + 0.5 * i, 2) for i in range(60)],
        "visits": [(i * 5) % 9 for i in range(60)],
    })


def preprocess(df, drop_below):
    out = df[df["spend"] >= drop_below].copy()
    out["spend_per_visit"] = (out["spend"] / out["visits"].clip(lower=1)).round(3)
    return out


def valid(df):
    return len(df) >= 30


def stats(label):
    df = pd.read_csv(TABLE)
    print(f"{label}: rows={len(df)} cols={list(df.columns)} spend_sum={df['spend'].sum():.2f}")


if __name__ == "__main__":
    os.makedirs("tables", exist_ok=True)
    repo = Repo.init(".")
    raw_table().to_csv(TABLE, index=False)
    repo.index.add([TABLE])
    repo.index.commit("raw customers")
    stats("committed raw")

    preprocess(pd.read_csv(TABLE), drop_below=80).to_csv(TABLE, index=False)
    stats("after aggressive preprocessing")
    if not valid(pd.read_csv(TABLE)):
        print("too few rows left, resetting working tree; dirty =", repo.is_dirty(path=TABLE))
        repo.head.reset(index=True, working_tree=True)
    stats("after reset")

    preprocess(pd.read_csv(TABLE), drop_below=10).to_csv(TABLE, index=False)
    if valid(pd.read_csv(TABLE)):
        repo.index.add([TABLE])
        repo.index.commit("preprocessed customers")
    stats("committed preprocessed")
    print("dirty after commit:", repo.is_dirty(path=TABLE), "commits:", len(list(repo.iter_commits())))
