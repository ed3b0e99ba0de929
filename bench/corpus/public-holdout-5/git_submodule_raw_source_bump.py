"""Raw data lives in its own repository, vendored as a submodule; each run adds an upstream batch and bumps the pointer."""
import csv
import os
import random

from git import Repo
from git.exc import InvalidGitRepositoryError

UPSTREAM_DIR = "upstream_raw"
SUBMODULE_PATH = "vendor/raw"


def configure(repo):
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "data-bot")
        cw.set_value("user", "email", "data-bot@example.com")


def open_or_init(path):
    try:
        return Repo(path)
    except (InvalidGitRepositoryError, Exception):
        os.makedirs(path, exist_ok=True)
        return Repo.init(path)


def add_upstream_batch(upstream):
    os.makedirs(os.path.join(upstream.working_dir, "batches"), exist_ok=True)
    n = len(os.listdir(os.path.join(upstream.working_dir, "batches"))) + 1
    rng = random.Random(100 + n)
    name = f"batches/batch_{n:03d}.csv"
    with open(os.path.join(upstream.working_dir, name), "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sensor", "reading"])
        for i in range(20 + 5 * n):
            writer.writerow([f"s{i % 4}", round(rng.gauss(10 + n, 2), 3)])
    upstream.index.add([name])
    upstream.index.commit(f"raw batch {n}")
    return n


def read_rows(folder):
    rows = []
    for name in sorted(os.listdir(os.path.join(folder, "batches"))):
        with open(os.path.join(folder, "batches", name), newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


repo = open_or_init(".")
configure(repo)
if not os.path.exists(".gitignore"):
    with open(".gitignore", "w") as fh:
        fh.write(f"{UPSTREAM_DIR}/\n")
    repo.index.add([".gitignore"])
    repo.index.commit("ignore the upstream checkout")

upstream = open_or_init(UPSTREAM_DIR)
configure(upstream)
batch = add_upstream_batch(upstream)

existing = {sm.path: sm for sm in repo.submodules}
if SUBMODULE_PATH not in existing:
    sm = repo.create_submodule("raw", SUBMODULE_PATH, url=os.path.abspath(UPSTREAM_DIR))
    repo.index.commit(f"add raw data submodule at batch {batch}")
else:
    sm = existing[SUBMODULE_PATH]
    sub = sm.module()
    sub.remotes.origin.pull()
    repo.git.add(SUBMODULE_PATH)
    repo.index.commit(f"bump raw data to batch {batch}")

rows = read_rows(os.path.join(repo.working_dir, SUBMODULE_PATH))
readings = [float(r["reading"]) for r in rows]
bumps = list(repo.iter_commits(paths=SUBMODULE_PATH))
print(f"upstream batches: {batch}")
print(f"rows visible through the submodule: {len(rows)}")
print(f"mean reading: {sum(readings) / len(readings):.3f}")
print(f"superproject commits touching {SUBMODULE_PATH}: {len(bumps)}")
print(f"submodule pinned to upstream head: {sm.module().head.commit.hexsha == upstream.head.commit.hexsha}")
print("pointer history:", [c.summary for c in reversed(bumps)])
