"""Each dataset release gets an annotated tag whose message is a JSON document of statistics
(create_tag(..., message=...)); all releases are listed afterwards from tag.tag.message."""
import json
from pathlib import Path

import numpy as np
from git import Repo
from git.exc import InvalidGitRepositoryError

DATA = Path("dataset.npz")
PREFIX = "dataset-v"


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "release-bot")
        cw.set_value("user", "email", "release@example.org")
    return repo


def release_number(tag):
    return int(tag.name[len(PREFIX):])


def main():
    repo = open_repo()
    existing = [t for t in repo.tags if t.name.startswith(PREFIX)]
    version = max((release_number(t) for t in existing), default=0) + 1

    rng = np.random.RandomState(version)
    n = 100 * version
    X = rng.normal(size=(n, 5)).astype(np.float32)
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(np.int64)
    np.savez(DATA, X=X, y=y)
    repo.index.add([str(DATA)])
    repo.index.commit(f"dataset release {version}")

    stats = {"rows": int(n), "features": int(X.shape[1]), "positive_rate": round(float(y.mean()), 4),
             "feature_means": [round(float(m), 4) for m in X.mean(axis=0)]}
    repo.create_tag(f"{PREFIX}{version}", message=json.dumps(stats, sort_keys=True))

    releases = sorted((t for t in repo.tags if t.name.startswith(PREFIX)), key=release_number)
    for tag in releases:
        meta = json.loads(tag.tag.message)
        print(f"{tag.name}: rows={meta['rows']} positive_rate={meta['positive_rate']:.4f} "
              f"tagged_commit_matches={tag.commit.summary == f'dataset release {release_number(tag)}'}")
    print(f"latest_release={releases[-1].name}")


if __name__ == "__main__":
    main()
