"""Dataset file renamed (git mv) and edited in the same commit; renames found from the diff and log --follow."""
import csv
import glob
import os
import random

import git


def get_repo():
    try:
        repo = git.Repo(".")
    except git.InvalidGitRepositoryError:
        repo = git.Repo.init(".")
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", "Curator")
        cfg.set_value("user", "email", "curator@example.org")
    return repo


def write_rows(path, start, count, seed):
    rng = random.Random(seed)
    exists = os.path.exists(path)
    with open(path, "a", newline="") as fh:
        w = csv.writer(fh)
        if not exists:
            w.writerow(["id", "length_mm", "species"])
        for i in range(start, start + count):
            w.writerow([i, round(rng.uniform(30, 90), 1), rng.choice(["perch", "pike", "roach"])])


def count_rows(path):
    with open(path, newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


repo = get_repo()
os.makedirs("data", exist_ok=True)
current = sorted(glob.glob("data/fish_survey_v*.csv"))

if not current:
    path = "data/fish_survey_v1.csv"
    write_rows(path, 0, 40, seed=1)
    repo.index.add([path])
    repo.index.commit("survey v1: first 40 fish")
else:
    old = current[-1]
    version = int(old.rsplit("_v", 1)[1].split(".")[0]) + 1
    path = f"data/fish_survey_v{version}.csv"
    repo.git.mv(old, path)
    n = count_rows(path)
    write_rows(path, n, 10, seed=version)
    repo.index.add([path])
    repo.index.commit(f"survey v{version}: renamed from v{version - 1}, {10} fish added")

head = repo.head.commit
if head.parents:
    for d in head.parents[0].diff(head, M=True):
        if d.renamed_file:
            print(f"renamed: {d.rename_from} -> {d.rename_to}")
        else:
            print(f"change type {d.change_type}: {d.b_path}")

followed = repo.git.log("--follow", "--format=%s", "--", path).splitlines()
plain = repo.git.log("--format=%s", "--", path).splitlines()
print(f"current file: {path} with {count_rows(path)} rows")
print(f"commits without --follow: {len(plain)}, with --follow: {len(followed)}")
for subject in reversed(followed):
    print("  ", subject)
