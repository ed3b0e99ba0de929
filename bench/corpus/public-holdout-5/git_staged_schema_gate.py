"""Hook-free pre-commit check: staged CSVs found with index.diff("HEAD") are validated; bad ones are unstaged and removed."""
import csv
import json
import os
import random
import sys

from git import Repo
from git.exc import InvalidGitRepositoryError

ALLOWED_LABELS = {"cat", "dog", "bird"}
REQUIRED_COLUMNS = ["image_id", "label", "annotator"]


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "labeler")
        cw.set_value("user", "email", "labeler@example.com")
    if not repo.head.is_valid():
        with open("README.md", "w") as fh:
            fh.write("Image labels, one CSV per labelling batch.\n")
        repo.index.add(["README.md"])
        repo.index.commit("init label store")
    return repo


def validate(path):
    errors = []
    with open(path, newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != REQUIRED_COLUMNS:
            return [f"columns {reader.fieldnames} != {REQUIRED_COLUMNS}"]
        for i, row in enumerate(reader, start=2):
            if row["label"] not in ALLOWED_LABELS:
                errors.append(f"line {i}: unknown label {row['label']!r}")
    return errors


def write_batch(path, n, seed, corrupt=False):
    rng = random.Random(seed)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(REQUIRED_COLUMNS)
        for i in range(n):
            label = rng.choice(sorted(ALLOWED_LABELS))
            if corrupt and i % 7 == 3:
                label = label.upper() + "?"
            w.writerow([f"img_{seed}_{i:04d}", label, rng.choice(["ann1", "ann2"])])


repo = open_repo()
os.makedirs("labels", exist_ok=True)
round_no = len([f for f in os.listdir("labels") if f.endswith(".csv")]) + 1
good = f"labels/batch_{round_no:03d}_a.csv"
bad = f"labels/batch_{round_no:03d}_b.csv"
write_batch(good, 30, seed=round_no * 10)
write_batch(bad, 30, seed=round_no * 10 + 1, corrupt=True)
repo.index.add([good, bad])

staged = [d.a_path for d in repo.index.diff("HEAD")]
report = {}
for path in sorted(staged):
    if path.endswith(".csv"):
        report[path] = validate(path)

rejected = [p for p, errs in report.items() if errs]
accepted = [p for p, errs in report.items() if not errs]
if rejected:
    repo.index.remove(rejected)  # unstage only (git rm --cached) ...
    for p in rejected:
        os.remove(p)  # ... then drop the file, as a pre-commit hook would ask the labeller to
        print(f"rejected {p}: {len(report[p])} problems, first: {report[p][0]}")
if not accepted:
    sys.exit("nothing valid to commit")
repo.index.commit(f"labels round {round_no}: {len(accepted)} batch(es) accepted")
with open("last_gate_report.json", "w") as fh:
    json.dump({p: len(e) for p, e in report.items()}, fh, indent=1, sort_keys=True)

tracked = [e[0] for e in repo.index.entries if e[0].startswith("labels/")]
rows = 0
for p in tracked:
    with open(p, newline="") as fh:
        rows += sum(1 for _ in csv.DictReader(fh))
print(f"round {round_no}: staged {len(staged)}, accepted {len(accepted)}, rejected {len(rejected)}")
print(f"label files tracked: {len(tracked)}, labelled images: {rows}")
print(f"working tree clean apart from the report: {not repo.is_dirty()}")
