"""Functions that save numbered data versions with GitPython tags and load an old one."""
import os

import dvc.api
from dvc.repo import Repo as DvcRepo
from git import Repo

DATA = "measurements.txt"


def save_version(repo, values, tag):
    with open(DATA, "w") as fh:
        fh.write("\n".join(str(v) for v in values) + "\n")
    DvcRepo(repo.working_tree_dir).add(os.path.join(repo.working_tree_dir, DATA))
    repo.index.add([DATA + ".dvc", ".gitignore"])
    repo.index.commit(f"measurements {tag}")
    repo.create_tag(tag)


def load_version(repo, tag):
    text = dvc.api.read(DATA, repo=repo.working_tree_dir, revision=tag)
    return [float(v) for v in text.split()]


def main():
    repo = Repo.init(".")
    if not os.path.isdir(".dvc"):
        DvcRepo.init(".")
    save_version(repo, [1.0, 2.0, 3.0], "v1.0")
    save_version(repo, [1.5, 2.5, 3.5, 4.5], "v1.1")
    old = load_version(repo, "v1.0")
    print("v1.0 mean:", sum(old) / len(old))
    print("tags:", sorted(t.name for t in repo.tags))


if __name__ == "__main__":
    main()
