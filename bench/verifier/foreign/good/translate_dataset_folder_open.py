"""Versions a folder of per-split CSV files with GitPython and reads the first version of one back."""
import os

import dvc.api
from dvc.repo import Repo as DvcRepo
from git import Repo


def write_split(name, n):
    with open(os.path.join("dataset", f"{name}.csv"), "w") as fh:
        fh.write("id,label\n")
        for i in range(n):
            fh.write(f"{i},{i % 2}\n")


def main():
    repo = Repo.init(".")
    if not os.path.exists(".dvc"):
        DvcRepo.init(".")
    dvc_repo = DvcRepo(".")
    os.makedirs("dataset", exist_ok=True)
    write_split("train", 8)
    write_split("valid", 2)
    dvc_repo.add("dataset")
    repo.index.add(["dataset.dvc", ".gitignore"])
    first = repo.index.commit("dataset v1")

    write_split("train", 12)
    dvc_repo.add("dataset")
    repo.index.add(["dataset.dvc"])
    repo.index.commit("dataset v2")

    with dvc.api.open("dataset/train.csv", repo=".", rev=first.hexsha) as fh:
        old_train = fh.read()
    print("train rows then:", len(old_train.splitlines()) - 1)
    with open("dataset/train.csv") as fh:
        print("train rows now:", len(fh.read().splitlines()) - 1)


if __name__ == "__main__":
    main()
