"""One branch per dataset variant: the base CSV committed on the default branch, a "cleaned" branch
created with create_head() where outliers are dropped and committed, then both branches checked
out in turn and their row counts and means printed; the script ends on the default branch."""
import csv
import os
import random

import git

DATA = os.path.join("data", "measurements.csv")


def write_rows(rows):
    with open(DATA, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sensor", "value"])
        writer.writerows(rows)


def summarize(label):
    with open(DATA, newline="") as fh:
        values = [float(r["value"]) for r in csv.DictReader(fh)]
    print(f"{label}: rows={len(values)} mean={sum(values) / len(values):.3f} max={max(values):.2f}")


if __name__ == "__main__":
    random.seed(9)
    os.makedirs("data", exist_ok=True)
    repo = git.Repo.init(".")
    rows = [[f"s{i % 4}", round(random.gauss(10, 2), 2)] for i in range(200)]
    rows += [["s0", 95.0], ["s2", 88.5], ["s3", -40.0]]
    write_rows(rows)
    repo.index.add([DATA])
    repo.index.commit("raw measurements")
    default_branch = repo.active_branch

    cleaned = repo.create_head("cleaned")
    cleaned.checkout()
    write_rows([r for r in rows if 0 < r[1] < 50])
    repo.index.add([DATA])
    repo.index.commit("drop outliers")

    for branch in (default_branch, cleaned):
        branch.checkout()
        summarize(branch.name if branch is cleaned else "default")
    default_branch.checkout()
    print("branch count:", len(repo.heads), "cleaned exists:", "cleaned" in repo.heads)
    summarize("final work tree")
