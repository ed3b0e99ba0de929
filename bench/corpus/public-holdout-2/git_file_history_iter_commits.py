"""Walk a data file's history: three labelling rounds appended to labels.csv and committed, then
repo.iter_commits(paths=...) lists the commits that touched it (oldest first) and each version
is read back with repo.git.show("<sha>:<path>") to print its size; no hashes are printed."""
import os

from git import Repo

LABELS = "labels.csv"
ROUNDS = [
    ("round 1: cats and dogs", [("img_%03d" % i, "cat" if i % 3 else "dog") for i in range(40)]),
    ("round 2: add birds", [("img_%03d" % i, "bird") for i in range(40, 65)]),
    ("round 3: add fish", [("img_%03d" % i, "fish" if i % 2 else "cat") for i in range(65, 90)]),
]


def append_labels(rows):
    new = not os.path.exists(LABELS)
    with open(LABELS, "a") as fh:
        if new:
            fh.write("image,label\n")
        for image, label in rows:
            fh.write(f"{image},{label}\n")


def main():
    repo = Repo.init(".")
    with open("README.txt", "w") as fh:
        fh.write("labelling project\n")
    repo.index.add(["README.txt"])
    repo.index.commit("project skeleton")

    for message, rows in ROUNDS:
        append_labels(rows)
        repo.index.add([LABELS])
        repo.index.commit(message)

    history = list(repo.iter_commits(paths=LABELS))[::-1]
    print(f"{LABELS} changed in {len(history)} commits")
    for commit in history:
        text = repo.git.show(f"{commit.hexsha}:{LABELS}")
        lines = text.splitlines()[1:]
        classes = sorted({line.split(",")[1] for line in lines})
        print(f"- {commit.message.strip()}: {len(lines)} labels, classes={classes}")
    print("total commits:", len(list(repo.iter_commits())))


if __name__ == "__main__":
    main()
