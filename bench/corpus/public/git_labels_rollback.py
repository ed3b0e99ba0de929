"""Commit labels, commit a bad relabelling, then roll the file back with `git checkout HEAD~1 -- path`."""
import json
import os

import git

LABELS = "annotations/labels.jsonl"


def write_labels(records):
    with open(LABELS, "w") as fh:
        for rec in records:
            fh.write(json.dumps(rec) + "\n")


def read_labels():
    with open(LABELS) as fh:
        return [json.loads(line) for line in fh]


def commit(repo, message):
    repo.index.add([LABELS])
    return repo.index.commit(message)


if __name__ == "__main__":
    os.makedirs("annotations", exist_ok=True)
    try:
        repo = git.Repo(".")
    except git.InvalidGitRepositoryError:
        repo = git.Repo.init(".")
    good = [{"id": i, "label": "pos" if i % 3 else "neg"} for i in range(15)]
    write_labels(good)
    commit(repo, "annotator batch 1")
    write_labels([{"id": r["id"], "label": "pos"} for r in good])
    commit(repo, "annotator batch 2 (bad: everything positive)")
    print("positives after bad batch:", sum(r["label"] == "pos" for r in read_labels()))
    repo.git.checkout("HEAD~1", "--", LABELS)
    commit(repo, "roll back labels to batch 1")
    restored = read_labels()
    print("positives after rollback:", sum(r["label"] == "pos" for r in restored))
    print("records:", len(restored))
