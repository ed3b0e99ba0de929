"""Committing a processed dataset through GitPython's object layer instead of the porcelain: the script stages the
processed parquet-like CSVs, writes the tree with `repo.index.write_tree()`, creates the commit with
`Commit.create_from_tree(repo, tree, message, parent_commits=[...], head=True, author=Actor, committer=Actor)`,
and then inspects the result through objects only: `tree.traverse()` for blob count/size per folder, `blob.
data_stream.read()` to load one file from the object database, and `commit.parents[0].tree` compared with
`diff(..., create_patch=False)`. Each run processes one more raw batch."""
import io
import os

import numpy as np
import pandas as pd
from git import Actor, Commit, Repo
from git.exc import InvalidGitRepositoryError

AUTHOR = Actor("pipeline", "pipeline@example.com")
COMMITTER = Actor("ci", "ci@example.com")

try:
    repo = Repo(".")
except InvalidGitRepositoryError:
    repo = Repo.init(".")
with repo.config_writer() as cw:
    cw.set_value("user", "name", "pipeline")
    cw.set_value("user", "email", "pipeline@example.com")

os.makedirs("raw", exist_ok=True)
os.makedirs("processed", exist_ok=True)
batch = len([p for p in os.listdir("raw") if p.endswith(".csv")]) + 1
rng = np.random.default_rng(500 + batch)
raw = pd.DataFrame({"user": rng.integers(0, 40, 200), "amount": rng.lognormal(3, 1, 200).round(2),
                    "country": rng.choice(["DE", "FR", "IT", "ES"], 200)})
raw.to_csv(f"raw/batch_{batch:03d}.csv", index=False)

all_raw = pd.concat([pd.read_csv(f"raw/{p}") for p in sorted(os.listdir("raw"))], ignore_index=True)
per_user = all_raw.groupby("user").agg(n=("amount", "size"), total=("amount", "sum")).round(2).reset_index()
per_country = all_raw.groupby("country")["amount"].describe()[["count", "mean", "50%"]].round(3).reset_index()
per_user.to_csv("processed/per_user.csv", index=False)
per_country.to_csv("processed/per_country.csv", index=False)

repo.index.add([f"raw/batch_{batch:03d}.csv", "processed/per_user.csv", "processed/per_country.csv"])
tree = repo.index.write_tree()
parents = [repo.head.commit] if repo.head.is_valid() else []
commit = Commit.create_from_tree(repo, tree, f"process batch {batch} ({len(all_raw)} raw rows)",
                                 parent_commits=parents, head=True, author=AUTHOR, committer=COMMITTER)
print(f"batch {batch}: commit '{commit.summary}' author {commit.author.name} committer {commit.committer.name}, "
      f"parents {len(commit.parents)}")

sizes = {}
for item in commit.tree.traverse():
    if item.type == "blob":
        folder = os.path.dirname(item.path) or "."
        n, s = sizes.get(folder, (0, 0))
        sizes[folder] = (n + 1, s + item.size)
print(f"blobs per folder (count, bytes): {dict(sorted(sizes.items()))}")

blob = commit.tree / "processed" / "per_country.csv"
from_odb = pd.read_csv(io.BytesIO(blob.data_stream.read()))
print(f"per_country from the object database: {from_odb[['country', 'count']].values.tolist()}")

if commit.parents:
    changes = commit.parents[0].diff(commit)
    print(f"changed vs parent: {sorted((d.change_type, d.b_path) for d in changes)}")
print(f"repository status clean: {not repo.is_dirty(untracked_files=False)}, "
      f"history length {sum(1 for _ in repo.iter_commits())}")
