"""Ship data releases as tarballs made by repo.archive(): the previous and the current commit are
archived, the archives are listed with tarfile, and the train/test row counts of both are compared."""
import io
import tarfile
from pathlib import Path

import numpy as np
from git import Repo
from git.exc import InvalidGitRepositoryError


def open_repo():
    try:
        repo = Repo(".")
    except InvalidGitRepositoryError:
        repo = Repo.init(".")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "packager")
        cw.set_value("user", "email", "packager@example.org")
    Path(".gitignore").write_text("releases/\n")
    return repo


def write_split(name, n, rng):
    path = Path("data") / f"{name}.csv"
    path.parent.mkdir(exist_ok=True)
    x = rng.normal(size=(n, 3)).round(4)
    label = (x.sum(axis=1) > 0).astype(int)
    rows = ["x1,x2,x3,label"] + [f"{a},{b},{c},{d}" for (a, b, c), d in zip(x, label)]
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def rows_in(tar, member):
    return len(tar.extractfile(member).read().decode().splitlines()) - 1


def main():
    repo = open_repo()
    rng = np.random.RandomState(21)
    for release, (n_train, n_test) in enumerate([(400, 100), (550, 130)], start=1):
        paths = [write_split("train", n_train, rng), write_split("test", n_test, rng)]
        Path("data/VERSION").write_text(f"{release}\n")
        repo.index.add(paths + ["data/VERSION", ".gitignore"])
        repo.index.commit(f"data release {release}")

    out = Path("releases")
    out.mkdir(exist_ok=True)
    for label, treeish in (("previous", "HEAD~1"), ("current", "HEAD")):
        target = out / f"data-{label}.tar"
        with target.open("wb") as fh:
            repo.archive(fh, treeish=treeish, prefix=f"data-{label}/", path="data")
        with tarfile.open(target) as tar:
            members = {m.name: m for m in tar.getmembers() if m.isfile()}
            version = tar.extractfile(members[f"data-{label}/data/VERSION"]).read().decode().strip()
            print(f"{label}: version={version} files={len(members)} "
                  f"train_rows={rows_in(tar, members[f'data-{label}/data/train.csv'])} "
                  f"test_rows={rows_in(tar, members[f'data-{label}/data/test.csv'])}")
    print(f"archives={sorted(p.name for p in out.glob('*.tar'))}")
    print(f"dirty={repo.is_dirty(untracked_files=True)}")


if __name__ == "__main__":
    main()
