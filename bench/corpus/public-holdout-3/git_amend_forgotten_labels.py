"""The labels file was forgotten in the dataset commit; it is added with `git commit --amend`.

History keeps a single dataset commit holding both files; the script prints the commit count,
the commit summary and the facts of the data it holds.
"""
import os

import numpy as np
from git import Repo


def make_dataset(rng, n=250):
    features = rng.normal(size=(n, 4)).round(4)
    labels = (features[:, 0] - 0.5 * features[:, 2] + rng.normal(scale=0.3, size=n) > 0).astype(int)
    return features, labels


def main():
    repo = Repo.init(".")
    with repo.config_writer() as writer:
        writer.set_value("user", "name", "ds")
        writer.set_value("user", "email", "ds@example.com")

    rng = np.random.default_rng(31)
    features, labels = make_dataset(rng)
    os.makedirs("dataset", exist_ok=True)
    np.savetxt("dataset/features.csv", features, delimiter=",", fmt="%.4f")
    np.savetxt("dataset/labels.csv", labels, fmt="%d")

    repo.index.add(["dataset/features.csv"])
    repo.index.commit("dataset v1: 250 rows")
    print("labels tracked after first commit:", "dataset/labels.csv" in [p for p, _ in repo.index.entries])

    repo.index.add(["dataset/labels.csv"])
    repo.git.commit("--amend", "--no-edit")
    print("labels tracked after amend:", "dataset/labels.csv" in [p for p, _ in repo.index.entries])

    print("commits:", len(list(repo.iter_commits())))
    print("summary:", repo.head.commit.summary)
    loaded_x = np.loadtxt("dataset/features.csv", delimiter=",")
    loaded_y = np.loadtxt("dataset/labels.csv", dtype=int)
    print(f"rows {loaded_x.shape[0]}, feature mean {loaded_x.mean():.4f}, positive rate {loaded_y.mean():.4f}")
    print("dirty:", repo.is_dirty(untracked_files=True))


if __name__ == "__main__":
    main()
