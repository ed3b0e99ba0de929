"""Version a parquet feature table with GitPython tags and read an older tagged version back."""
from pathlib import Path

import numpy as np
import pandas as pd
from git import Repo

FEATURES = Path("features") / "table.parquet"


def build_table(n_rows, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x1": rng.normal(size=n_rows).round(3), "x2": rng.integers(0, 5, n_rows)})


repo = Repo.init(".")
FEATURES.parent.mkdir(exist_ok=True)
for version, (n_rows, seed) in {"features-v1": (20, 1), "features-v2": (35, 2)}.items():
    build_table(n_rows, seed).to_parquet(FEATURES, index=False)
    repo.index.add([str(FEATURES)])
    repo.index.commit(f"feature table {version}")
    repo.create_tag(version, message=f"features with {n_rows} rows")

current = pd.read_parquet(FEATURES)
repo.git.checkout("features-v1", "--", str(FEATURES))
old = pd.read_parquet(FEATURES)
repo.git.checkout("HEAD", "--", str(FEATURES))
print("tags:", [t.name for t in repo.tags])
print("current rows:", len(current), "old rows:", len(old))
print("old x2 counts:", old["x2"].value_counts().sort_index().to_dict())
print("restored rows:", len(pd.read_parquet(FEATURES)))
