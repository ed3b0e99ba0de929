"""Dataset version strings from `git describe`: every run appends a shard of samples, commits it, and every third
run also releases it with an annotated tag `data-v<major>.<minor>`; the version recorded in `data/VERSION.json` is
derived from `repo.git.describe("--tags", "--long", "--match", "data-v*")` (tag + commits since the tag, the hash
part dropped), so unreleased commits read like `data-v1.0+2`. The script prints the version, the shards since the
last release from `git log <tag>..HEAD`, and the releases from `repo.tags`."""
import json
import os

import numpy as np
import pandas as pd
from git import Repo
from git.exc import InvalidGitRepositoryError


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "release-bot")
        cw.set_value("user", "email", "release-bot@example.com")
    return repo


def describe(repo):
    try:
        out = repo.git.describe("--tags", "--long", "--match", "data-v*")
    except Exception:
        return None, None
    tag, distance, _hash = out.rsplit("-", 2)
    return tag, int(distance)


def main():
    repo = open_repo()
    os.makedirs("data/shards", exist_ok=True)
    run_no = len([p for p in os.listdir("data/shards") if p.endswith(".csv")]) + 1
    rng = np.random.default_rng(run_no)
    shard = pd.DataFrame({"x1": rng.normal(size=50).round(4), "x2": rng.normal(size=50).round(4),
                          "y": rng.integers(0, 2, 50)})
    shard_path = f"data/shards/shard_{run_no:03d}.csv"
    shard.to_csv(shard_path, index=False)
    repo.index.add([shard_path])
    repo.index.commit(f"add shard {run_no}")

    if run_no % 3 == 1:
        n_release = len([t for t in repo.tags if t.name.startswith("data-v")])
        name = f"data-v{1 + n_release // 3}.{n_release % 3}"
        repo.create_tag(name, message=f"release {name}: {run_no} shards")
        print(f"released {name}")

    tag, distance = describe(repo)
    version = tag if distance == 0 else f"{tag}+{distance}"
    total_rows = sum(len(pd.read_csv(os.path.join("data/shards", p)))
                     for p in sorted(os.listdir("data/shards")))
    meta = {"version": version, "shards": run_no, "rows": total_rows, "release": tag, "commits_since": distance}
    with open("data/VERSION.json", "w") as fh:
        json.dump(meta, fh, indent=2)
    repo.index.add(["data/VERSION.json"])
    repo.index.commit(f"version {version}")
    print(f"run {run_no}: dataset version {version}, {total_rows} rows")

    since = repo.git.log(f"{tag}..HEAD", "--format=%s").splitlines()
    print(f"commits since {tag}: {list(reversed(since))}")
    releases = sorted((t.name, t.tag.message) for t in repo.tags if t.tag is not None)
    print(f"releases: {releases}")


if __name__ == "__main__":
    main()
