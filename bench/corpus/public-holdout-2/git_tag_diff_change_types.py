"""Compare two tagged dataset releases: a folder of per-class CSV shards committed and tagged v1,
then one shard edited, one deleted and one added, committed and tagged v2; the diff between the
tag commits is walked with iter_change_type for A, D and M and a --stat summary is printed."""
import os

import git

SHARDS = "shards"


def write_shard(name, n, offset):
    with open(os.path.join(SHARDS, name), "w") as fh:
        fh.write("idx,value\n")
        for i in range(n):
            fh.write(f"{i},{(i * 7 + offset) % 13}\n")


def main():
    os.makedirs(SHARDS, exist_ok=True)
    repo = git.Repo.init(".")
    for k, name in enumerate(["class_a.csv", "class_b.csv", "class_c.csv"]):
        write_shard(name, 20 + 5 * k, k)
    repo.index.add([os.path.join(SHARDS, f) for f in sorted(os.listdir(SHARDS))])
    repo.index.commit("release 1")
    repo.create_tag("v1", message="first release")

    write_shard("class_a.csv", 35, 4)
    os.remove(os.path.join(SHARDS, "class_b.csv"))
    write_shard("class_d.csv", 15, 2)
    repo.index.remove([os.path.join(SHARDS, "class_b.csv")])
    repo.index.add([os.path.join(SHARDS, "class_a.csv"), os.path.join(SHARDS, "class_d.csv")])
    repo.index.commit("release 2")
    repo.create_tag("v2", message="second release")

    diff = repo.commit("v1").diff("v2")
    for change, label in (("A", "added"), ("D", "deleted"), ("M", "modified")):
        paths = sorted(d.b_path if change != "D" else d.a_path for d in diff.iter_change_type(change))
        print(f"{label}: {paths}")
    print(repo.git.diff("v1", "v2", "--stat").splitlines()[-1].strip())
    print("tags:", sorted(t.name for t in repo.tags))


if __name__ == "__main__":
    main()
