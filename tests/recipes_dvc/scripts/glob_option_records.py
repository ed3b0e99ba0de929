"""Records are plain .txt files; they are data only because --option data says so."""
import json
import os

import git

repo = git.Repo.init(".")
os.makedirs("records", exist_ok=True)
with open("settings.json", "w") as f:
    json.dump({"seed": 1}, f)


def write_records(n):
    for i in range(n):
        with open(f"records/r{i}.txt", "w") as f:
            f.write(f"record {i}\n")
    return [f"records/r{i}.txt" for i in range(n)]


files = write_records(2)
repo.index.add(files + ["settings.json"])
repo.index.commit("two records")
repo.create_tag("small")
files = write_records(4)
repo.index.add(files)
repo.index.commit("four records")
print(repo.git.show("small:records/r1.txt"))
print("dirty:", repo.is_dirty(untracked_files=True))
print("count:", len(os.listdir("records")))
