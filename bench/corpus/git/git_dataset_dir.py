"""Version a folder of data files with GitPython."""
import os

from git import Repo


def write_shards(n):
    os.makedirs("dataset", exist_ok=True)
    for i in range(n):
        with open(os.path.join("dataset", f"shard_{i}.txt"), "w") as fh:
            fh.write("\n".join(str(i * 10 + j) for j in range(5)) + "\n")


repo = Repo(".")
write_shards(3)
repo.git.add("dataset")
repo.index.commit("add dataset with 3 shards")
write_shards(4)
repo.git.add("dataset")
repo.index.commit("dataset with 4 shards")
print("shards:", len(os.listdir("dataset")))
print("last shard in HEAD:", repo.git.show("HEAD:dataset/shard_3.txt").split())
