"""Relabel a dataset, commit it, and diff the labels against the previous commit with `git show`."""
import os

from git import Repo


def write_labels(path, labels):
    with open(path, "w") as fh:
        fh.write("id,label\n")
        for i, label in enumerate(labels):
            fh.write(f"{i},{label}\n")


def main():
    repo = Repo.init(os.getcwd())
    os.makedirs("annotations", exist_ok=True)
    path = "annotations/labels.csv"
    write_labels(path, ["cat", "dog", "dog", "cat", "bird"])
    repo.index.add([path])
    first = repo.index.commit("first labelling pass")
    write_labels(path, ["cat", "dog", "cat", "cat", "bird"])
    repo.index.add([path])
    repo.index.commit("fix label 2")

    old_text = repo.git.show(f"{first.hexsha}:{path}")
    old = [line.split(",")[1] for line in old_text.splitlines()[1:]]
    with open(path) as fh:
        new = [line.strip().split(",")[1] for line in fh.readlines()[1:]]
    changed = [i for i, (a, b) in enumerate(zip(old, new)) if a != b]
    print("changed ids:", changed)
    print("old labels:", old)
    print("new labels:", new)


if __name__ == "__main__":
    main()
