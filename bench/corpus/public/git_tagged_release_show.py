"""Release dataset versions as git tags and read an older release back with `git show TAG:path`."""
import io
import os

import numpy as np
import pandas as pd
from git import Repo

PATH = "data/train.csv"


def make_release(repo, n_rows, seed, tag):
    rng = np.random.RandomState(seed)
    df = pd.DataFrame({"x1": rng.normal(size=n_rows).round(3), "x2": rng.uniform(size=n_rows).round(3),
                       "y": rng.randint(0, 2, n_rows)})
    df.to_csv(PATH, index=False)
    repo.index.add([PATH])
    repo.index.commit(f"dataset release {tag}")
    repo.create_tag(tag, message=f"data release {tag}", force=True)
    return df


if __name__ == "__main__":
    os.makedirs("data", exist_ok=True)
    repo = Repo.init(".")
    make_release(repo, 50, 0, "data-v1")
    current = make_release(repo, 80, 1, "data-v2")
    old = pd.read_csv(io.StringIO(repo.git.show(f"data-v1:{PATH}")))
    print("tags:", sorted(t.name for t in repo.tags))
    print("v1 rows:", len(old), "positive rate:", round(old["y"].mean(), 3))
    print("v2 rows:", len(current), "positive rate:", round(current["y"].mean(), 3))
