"""Auto-commit a data folder: untracked files and modified tracked files, each found through GitPython."""
import json
import os

from git import Repo

FOLDER = "dataset"


def write_json(name, payload):
    with open(os.path.join(FOLDER, name), "w") as fh:
        json.dump(payload, fh, indent=1, sort_keys=True)


def autocommit(repo, message):
    changed = [item.a_path for item in repo.index.diff(None)]
    untracked = [p for p in repo.untracked_files if p.startswith(FOLDER + "/")]
    for path in untracked + changed:
        repo.index.add([path])
    if changed or untracked:
        repo.index.commit(message)
    return sorted(changed), sorted(untracked)


def main():
    repo = Repo.init(".") if not os.path.isdir(".git") else Repo(".")
    os.makedirs(FOLDER, exist_ok=True)
    write_json("train.json", {"rows": 800, "classes": ["a", "b"]})
    write_json("test.json", {"rows": 200, "classes": ["a", "b"]})
    changed, untracked = autocommit(repo, "initial dataset")
    print("first commit: changed", changed, "new", untracked)

    write_json("train.json", {"rows": 950, "classes": ["a", "b", "c"]})
    write_json("val.json", {"rows": 100, "classes": ["a", "b", "c"]})
    changed, untracked = autocommit(repo, "dataset update")
    print("second commit: changed", changed, "new", untracked)
    with open(os.path.join(FOLDER, "train.json")) as fh:
        print("train rows now:", json.load(fh)["rows"])


if __name__ == "__main__":
    main()
